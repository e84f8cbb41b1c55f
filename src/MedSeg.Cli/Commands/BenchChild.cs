using System.Diagnostics;
using System.Reflection;

namespace MedSeg.Cli.Commands;

/// <summary>
/// Runs `medseg ARGS` as a child process and returns its last stdout line: benchmarks measure each configuration in
/// its own process, so peak resident memory (VmHWM) is that configuration's alone.
/// </summary>
public static class BenchChild
{
    public static async Task<string> RunAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate the medseg executable.");
        psi.FileName = host;
        // Under `dotnet medseg.dll` the host is dotnet itself: pass the entry assembly too.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{host}'.");
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        try { await child.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { child.Kill(entireProcessTree: true); throw; }
        var line = (await stdout).Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"child exited {child.ExitCode}: {(await stderr).Trim().Split('\n').FirstOrDefault()} {line}".Trim());
        return line;
    }
}
