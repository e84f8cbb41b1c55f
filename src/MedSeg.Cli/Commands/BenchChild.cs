using System.Diagnostics;
using System.Reflection;

namespace MedSeg.Cli.Commands;

/// <summary>
/// Runs `medseg ARGS` as a child process and returns its last stdout line: benchmarks measure each configuration in
/// its own process, so peak resident memory (VmHWM) is that configuration's alone.
/// </summary>
public static class BenchChild
{
    public static async Task<string> RunAsync(IEnumerable<string> args, CancellationToken ct) =>
        (await RunForOutputAsync(args, null, ct)).Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    /// <summary>The child's whole standard output.</summary>
    /// <param name="environment">Variables set for the child only (e.g. MEDSEG_NATIVE_TUNING=off for "before" figures).</param>
    public static async Task<string> RunForOutputAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate the medseg executable.");
        psi.FileName = host;
        // Under `dotnet medseg.dll` the host is dotnet itself: pass the entry assembly too.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        MedSeg.Training.Optimization.MallocTunablesRestart.RemoveFrom(psi.Environment); // each child applies its own tuning
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var child = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{host}'.");
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        try { await child.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { child.Kill(entireProcessTree: true); throw; }
        var output = await stdout;
        if (child.ExitCode != 0)
            throw new InvalidOperationException(
                $"child exited {child.ExitCode}: {(await stderr).Trim().Split('\n').FirstOrDefault()} {output.Trim().Split('\n').LastOrDefault()}".Trim());
        return output;
    }
}
