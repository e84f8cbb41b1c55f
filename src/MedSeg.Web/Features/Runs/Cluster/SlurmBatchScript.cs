using System.Globalization;
using System.Text;
using MedSeg.Training.Worker;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// The batch script of one cluster run, given to <c>sbatch</c> on stdin: job name = the run, the request's partition,
/// GPUs (<c>--gres=gpu:N</c>), CPUs, memory and time limit, <c>--requeue</c> (a preempted or requeued job starts again and
/// the worker continues from the checkpoint), <c>--signal=B:USR1@120</c> (the worker checkpoints and stops two minutes
/// before the time limit), output appended to <c>slurm-&lt;job&gt;.out</c> in the run folder, then the site's setup lines
/// and the worker, exec'd so that Slurm's signals reach it directly.
/// </summary>
public static class SlurmBatchScript
{
    /// <summary>Seconds before the time limit at which Slurm sends USR1 to the batch shell (the worker).</summary>
    public const int WarningSeconds = 120;

    public static string JobName(int runId) => string.Create(CultureInfo.InvariantCulture, $"medseg-run-{runId}");

    public static string Write(int runId, string runFolder, ClusterRequest request, SlurmOptions site, string portalUrl)
    {
        var r = request.WithDefaults(site);
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobName(runId)}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={r.Partition}\n");
        if (r.Gpus > 0) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{r.Gpus}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={r.Cpus}\n");
        if (r.MemoryGb > 0) s.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={r.MemoryGb}G\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={ClusterRequest.SlurmTime(r.TimeLimitMinutes!.Value)}\n");
        s.Append("#SBATCH --requeue\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --signal=B:USR1@{WarningSeconds}\n");
        // #SBATCH lines are not shell: no quoting; a path with spaces would need the command-line form.
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --chdir={runFolder}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(runFolder, "slurm-%j.out")}\n");
        s.Append("#SBATCH --open-mode=append\n");
        foreach (var extra in site.ExtraOptions) s.Append(CultureInfo.InvariantCulture, $"#SBATCH {extra}\n");
        s.Append("set -eu\n");
        // --export=NONE leaves the job without the submitter's environment: a usable PATH at least.
        s.Append("export PATH=\"${PATH:-/usr/local/bin:/usr/bin:/bin}\"\n");
        s.Append(CultureInfo.InvariantCulture, $"export HOME=\"${{HOME:-{runFolder}}}\"\n");
        s.Append("export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1\n");
        foreach (var line in site.SetupLines) s.Append(line).Append('\n');
        s.Append("echo \"medseg: job ${SLURM_JOB_ID} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)\"\n");
        s.Append(CultureInfo.InvariantCulture,
            $"exec {site.WorkerCommand} worker run --run {runId} --portal {Quote(portalUrl)} --token-file {Quote(Path.Combine(runFolder, WorkerProtocol.TokenFileName))}\n");
        return s.ToString();
    }

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
