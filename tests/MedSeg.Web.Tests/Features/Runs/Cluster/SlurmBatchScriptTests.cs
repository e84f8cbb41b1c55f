using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Cluster;

namespace MedSeg.Web.Tests.Features.Runs.Cluster;

/// <summary>
/// The batch script of a GPU run on a site with its own settings: every #SBATCH line the issue names (partition, gres,
/// CPUs, memory, time, requeue, USR1 warning, output inside the run folder, job name) and the exec'd worker; the site's
/// defaults fill what a run leaves open; requests outside the site's values are refused naming field, value and setting.
/// </summary>
public sealed class SlurmBatchScriptTests
{
    private static readonly SlurmOptions Site = new()
    {
        Partitions = ["gpu-a100", "debug"],
        DefaultGpus = 1,
        MaxGpus = 4,
        DefaultCpus = 8,
        DefaultMemoryGb = 64,
        DefaultTimeLimit = TimeSpan.FromHours(12),
        MaxTimeLimit = TimeSpan.FromDays(2),
        WorkerCommand = "/opt/medseg/medseg",
        SetupLines = ["module load cuda/12.8"],
        ExtraOptions = ["--account=imaging"],
    };

    [Fact]
    public void A_gpu_run_gets_partition_gres_cpus_memory_time_requeue_signal_output_and_the_exec_worker()
    {
        var script = SlurmBatchScript.Write(42, "/shared/medseg/runs/42", new ClusterRequest("gpu-a100", Gpus: 2, TimeLimitMinutes: 36 * 60),
            Site, "http://portal.lab:5000");
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        string[] expected =
        [
            "#SBATCH --job-name=medseg-run-42",
            "#SBATCH --partition=gpu-a100",
            "#SBATCH --gres=gpu:2",
            "#SBATCH --cpus-per-task=8",
            "#SBATCH --mem=64G",
            "#SBATCH --time=1-12:00:00",
            "#SBATCH --requeue",
            "#SBATCH --signal=B:USR1@120",
            "#SBATCH --chdir=/shared/medseg/runs/42",
            "#SBATCH --output=/shared/medseg/runs/42/slurm-%j.out",
            "#SBATCH --open-mode=append",
            "#SBATCH --account=imaging",
        ];
        foreach (var line in expected) Assert.Contains(line, lines);
        // #SBATCH lines only count before the first command.
        var firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.All(expected, line => Assert.True(Array.IndexOf(lines, line) < firstCommand, $"'{line}' comes after a command"));
        Assert.Contains("module load cuda/12.8", lines);
        Assert.Equal("exec /opt/medseg/medseg worker run --run 42 --portal 'http://portal.lab:5000' --token-file '/shared/medseg/runs/42/worker.token'",
            lines.Last(l => l.Length > 0));
        Assert.DoesNotContain("--token ", script); // the secret stays in the 0600 file, never in the script Slurm stores
    }

    [Fact]
    public void A_cpu_run_without_memory_has_no_gres_or_mem_line_and_takes_the_site_defaults()
    {
        var site = new SlurmOptions { Partitions = ["debug"], DefaultGpus = 0, DefaultMemoryGb = 0, DefaultTimeLimit = TimeSpan.FromMinutes(90) };
        var script = SlurmBatchScript.Write(7, "/data/runs/7", new ClusterRequest(), site, "http://p:1");
        Assert.DoesNotContain("--gres", script);
        Assert.DoesNotContain("--mem", script);
        Assert.Contains("#SBATCH --partition=debug\n", script);
        Assert.Contains("#SBATCH --time=0-01:30:00\n", script);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", script);
    }

    [Fact]
    public void A_request_outside_the_sites_values_names_field_value_and_setting()
    {
        var problems = new ClusterRequest("nope", Gpus: 9, Cpus: 0, MemoryGb: 10_000, TimeLimitMinutes: 3 * 24 * 60).Problems(Site);
        Assert.Equal(5, problems.Count);
        Assert.Contains("Cluster partition: 'nope' is not offered here; expected one of gpu-a100, debug (Slurm:Partitions).", problems);
        Assert.Contains("Cluster GPUs: must be 0..4 (Slurm:MaxGpus), got 9.", problems);
        Assert.Contains(problems, p => p.StartsWith("Cluster CPUs: must be 1..64", StringComparison.Ordinal) && p.EndsWith("got 0.", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cluster memory", StringComparison.Ordinal) && p.Contains("got 10000"));
        Assert.Contains(problems, p => p.StartsWith("Cluster time limit: must be 1..2880 minutes", StringComparison.Ordinal) && p.EndsWith("got 4320.", StringComparison.Ordinal));
        Assert.Empty(new ClusterRequest("debug", 4, 64, 512, 2880).Problems(Site));
    }

    [Fact]
    public void Squeue_and_sinfo_rows_parse_with_None_reasons_as_null()
    {
        var pending = SlurmJob.Parse("17;PENDING;Resources;;1:00:00;medseg-run-3;debug;root;0:00")!;
        Assert.Equal(("17", "PENDING", "Resources", (string?)null), (pending.JobId, pending.State, pending.Reason, pending.Node));
        Assert.Equal("PENDING (Resources)", SlurmJob.Describe(pending.State, pending.Reason, pending.Node));
        var running = SlurmJob.Parse("18;RUNNING;None;node7;1:00:00;medseg-run-4;gpu;root;0:12")!;
        Assert.Null(running.Reason);
        Assert.Equal("RUNNING on node7", SlurmJob.Describe(running.State, running.Reason, running.Node));
        Assert.True(SlurmJob.IsFinal("CANCELLED"));
        Assert.False(SlurmJob.IsFinal("REQUEUED"));
        Assert.Null(SlurmJob.Parse("garbage"));
        var partition = SlurmPartition.Parse("debug*;up;1:00:00;1;idle;(null)")!;
        Assert.Equal(("debug", true, 1), (partition.Name, partition.IsDefault, partition.Nodes));
    }

    [Fact]
    public void A_job_is_told_from_another_portals_job_of_the_same_name_by_its_folder()
    {
        var ours = SlurmJob.Parse("21;PENDING;JobHeldUser;;10:00;medseg-run-9;debug;root;0:00;/data/runs/9")!;
        var theirs = SlurmJob.Parse("22;PENDING;JobHeldUser;;10:00;medseg-run-9;debug;root;0:00;/other/lab/data/runs/9")!;
        Assert.Equal("/data/runs/9", ours.WorkDir);
        Assert.True(ours.WorksIn("/data/runs/9/"));
        Assert.True(ours.WorksIn("/data/runs/../runs/9"));
        Assert.False(theirs.WorksIn("/data/runs/9"));
        Assert.False(SlurmJob.Parse("23;RUNNING;None;n1;10:00;medseg-run-9;debug;root;0:01;/data/runs/90")!.WorksIn("/data/runs/9"));
        // The folder is the last field: a ';' in it stays part of it; an older row without it cannot be told apart.
        Assert.Equal("/data/a;b/runs/9", SlurmJob.Parse("24;RUNNING;None;n1;10:00;medseg-run-9;debug;root;0:01;/data/a;b/runs/9")!.WorkDir);
        Assert.True(SlurmJob.Parse("25;RUNNING;None;n1;10:00;medseg-run-9;debug;root;0:01")!.WorksIn("/anywhere"));
    }
}
