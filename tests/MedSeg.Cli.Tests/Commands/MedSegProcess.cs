using System.Diagnostics;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// The real <c>medseg</c> as a child process, for what is settled once per process at start-up (the libtorch choice,
/// the native tuning): the environment is the test's own with <paramref name="environment"/> applied (null removes).
/// </summary>
internal static class MedSegProcess
{
    public static async Task<(int Code, string Output)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(MedSegCommand).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            if (value is null) info.Environment.Remove(name); else info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
