using System.Diagnostics;
using System.Reflection;
using MedSeg.Testing;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// The built <c>medseg</c> CLI (same configuration as the tests) run as a process, as a user prepares data for the
/// portal (e.g. <c>medseg import msd SOURCE --out &lt;data root&gt;/downstream/NAME</c>).
/// </summary>
public static class MedSegCli
{
    public static string Dll
    {
        get
        {
            var path = typeof(MedSegCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "CliDll").Value!;
            if (!File.Exists(path))
                throw new FileNotFoundException($"CLI not built: {path} (build tests/MedSeg.Web.E2E, which builds src/MedSeg.Cli)", path);
            return path;
        }
    }

    /// <summary>Runs <c>medseg ARGS</c>; returns its output, or throws with the command line, exit code and output.</summary>
    public static async Task<string> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"medseg {string.Join(' ', args)} did not finish within {timeout}.\n{await stdout}\n{await stderr}");
        }
        var output = $"{await stdout}\n{await stderr}";
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"medseg {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
        return output;
    }
}
