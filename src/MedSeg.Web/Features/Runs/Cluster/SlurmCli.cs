using System.Diagnostics;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// Slurm's command line, the interface that stays stable across Slurm versions: <c>sbatch --parsable</c> with the script
/// on stdin, <c>squeue</c>, <c>scancel</c>, <c>sinfo</c>. Every command goes through <see cref="SlurmOptions.CommandPrefix"/>
/// (empty = here; <c>ssh login-node</c> = there, arguments then quoted for the remote shell).
/// </summary>
public sealed class SlurmCli(IOptions<SlurmOptions> options, ILogger<SlurmCli> logger)
{
    private const string QueueFormat = "%i;%T;%r;%N;%l;%j;%P;%u;%M;%Z";

    /// <summary>Submits a batch script; returns the job id. Slurm's refusal throws <see cref="SlurmException"/> with its message.</summary>
    public async Task<string> SubmitAsync(string script, CancellationToken ct)
    {
        // --export=NONE (not SBATCH_EXPORT): an environment variable would not cross an ssh prefix.
        var result = await RunAsync("sbatch", ["--parsable", "--export=NONE"], script, ct);
        if (result.ExitCode != 0) throw new SlurmException($"sbatch refused the job: {result.Message}");
        var id = result.Stdout.Trim().Split(';')[0]; // "ID" or "ID;cluster"
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new SlurmException($"sbatch answered no job id: '{result.Stdout.Trim()}'");
        return id;
    }

    /// <summary>Every job slurmctld still knows (finished ones until MinJobAge), as OnDemand's adapter reads them.</summary>
    /// <paramref name="name"/>: only the jobs of that name (<c>--name</c>; a run's jobs are named <see cref="SlurmBatchScript.JobName"/>).
    public async Task<IReadOnlyList<SlurmJob>> JobsAsync(CancellationToken ct, string? name = null)
    {
        string[] args = ["--all", "--states=all", "--noconvert", "--noheader", "-o", QueueFormat];
        var result = await RunAsync("squeue", name is null ? args : [.. args, "--name", name], null, ct);
        if (result.ExitCode != 0) throw new SlurmException($"squeue failed: {result.Message}");
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SlurmJob.Parse).OfType<SlurmJob>()];
    }

    /// <summary>Partitions as <c>sinfo</c> lists them (name, availability, time limit, nodes, state).</summary>
    public async Task<IReadOnlyList<SlurmPartition>> PartitionsAsync(CancellationToken ct)
    {
        var result = await RunAsync("sinfo", ["--noheader", "-o", "%P;%a;%l;%D;%T;%G"], null, ct);
        if (result.ExitCode != 0) throw new SlurmException($"sinfo failed: {result.Message}");
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SlurmPartition.Parse).OfType<SlurmPartition>()];
    }

    /// <summary><c>scancel JOB</c>: Slurm sends SIGTERM (the worker checkpoints) and ends the job as CANCELLED.</summary>
    public Task CancelAsync(string jobId, CancellationToken ct) => CheckedAsync("scancel", [jobId], ct);

    /// <summary>
    /// <c>scancel --signal=SIG --batch JOB</c>: the signal goes to the batch shell, which the script replaced with the
    /// worker (<c>exec</c>), and the job keeps running until the worker ends.
    /// </summary>
    public Task SignalAsync(string jobId, string signal, CancellationToken ct) => CheckedAsync("scancel", [$"--signal={signal}", "--batch", jobId], ct);

    private async Task CheckedAsync(string command, IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await RunAsync(command, args, null, ct);
        if (result.ExitCode != 0) throw new SlurmException($"{command} {string.Join(' ', args)} failed: {result.Message}");
    }

    private async Task<CommandResult> RunAsync(string command, IReadOnlyList<string> args, string? stdin, CancellationToken ct)
    {
        var o = options.Value;
        var remote = o.CommandPrefix.Count > 0 && Path.GetFileName(o.CommandPrefix[0]) == "ssh";
        var words = new List<string>(o.CommandPrefix) { command };
        words.AddRange(remote ? args.Select(SlurmBatchScript.Quote) : args);
        var info = new ProcessStartInfo(words[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var word in words.Skip(1)) info.ArgumentList.Add(word);
        foreach (var (key, value) in o.Environment) info.Environment[key] = value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.CommandTimeout);
        Process process;
        try { process = Process.Start(info) ?? throw new SlurmException($"could not start {words[0]}"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SlurmException($"could not run '{words[0]}' ({e.Message}); is Slurm's command line installed here (Slurm:CommandPrefix)?");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new SlurmException($"{command} did not answer within {o.CommandTimeout} (Slurm:CommandTimeout)");
            }
            var result = new CommandResult(process.ExitCode, await stdout, await stderr);
            if (result.ExitCode != 0) logger.LogDebug("{Command} exited {Code}: {Message}", command, result.ExitCode, result.Message);
            return result;
        }
    }

    private sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>What Slurm said, for the run's error: stderr without the tool's "sbatch: error: " prefixes.</summary>
        public string Message => string.Join(" ", (Stderr.Length > 0 ? Stderr : Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^\w+: error: ", ""))) is { Length: > 0 } m ? m : $"exit code {ExitCode}";
    }
}

/// <summary>A Slurm command failed or refused; the message says what Slurm said.</summary>
public sealed class SlurmException(string message) : Exception(message);
