using System.CommandLine;
using MedSeg.Cli.Worker;
using MedSeg.Training.Worker;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg worker run`: the trainer of one portal run on a cluster node (started by the batch script the portal's Slurm
/// backend generates). It reports to the portal over HTTP with the run's worker token; the run folder is on shared storage.
/// </summary>
public static class WorkerCommands
{
    public static Command Create()
    {
        var worker = new Command("worker", "Train portal runs on a cluster node (started by a Slurm batch script).");
        worker.Add(CreateRun());
        return worker;
    }

    private static Command CreateRun()
    {
        var run = new Option<int>("--run") { Description = "The portal run's id.", Required = true };
        var portal = new Option<string>("--portal") { Description = "The portal's address as the node reaches it, e.g. http://portal.lab:5000.", Required = true };
        var token = new Option<string?>("--token") { Description = $"The run's worker token (default: --token-file, else ${WorkerProtocol.TokenVariable})." };
        var tokenFile = new Option<string?>("--token-file") { Description = $"A file holding the token (the batch script passes <run folder>/{WorkerProtocol.TokenFileName})." };
        var device = new Option<string?>("--device") { Description = "Device override (auto, cpu, cuda, cuda:N); default: the run's own setting." };
        var threads = new Option<int?>("--threads") { Description = "torch threads (default: $SLURM_CPUS_PER_TASK, else the run's setting)." };
        var command = new Command("run", "Train one portal run here, continuing from its newest checkpoint, and stream its progress to the portal.")
            { run, portal, token, tokenFile, device, threads };
        command.SetAction(async (r, ct) =>
        {
            var error = r.InvocationConfiguration.Error;
            var secret = r.GetValue(token) ?? (r.GetValue(tokenFile) is { } file ? ReadTokenFile(file, error) : null)
                ?? Environment.GetEnvironmentVariable(WorkerProtocol.TokenVariable);
            if (string.IsNullOrWhiteSpace(secret))
            {
                error.WriteLine($"error: no worker token: pass --token, --token-file or set ${WorkerProtocol.TokenVariable}.");
                return CommandFailures.ExitFailure;
            }
            var cpus = int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out var n) && n > 0 ? n : (int?)null;
            var settings = new WorkerSettings(r.GetValue(run), r.GetRequiredValue(portal), secret.Trim(), r.GetValue(device),
                r.GetValue(threads) ?? cpus, TimeSpan.FromMilliseconds(250));
            return await new ClusterWorker(settings, r.InvocationConfiguration.Output).RunAsync(ct);
        });
        return command;
    }

    private static string? ReadTokenFile(string path, TextWriter error)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read the token file {path}: {e.Message}");
            return null;
        }
    }
}
