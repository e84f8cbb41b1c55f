namespace MedSeg.Cli.Commands;

/// <summary>
/// The machine's load average (/proc/loadavg) for benchmark output: on a shared machine a wall time means little
/// without the load it was measured under.
/// </summary>
internal static class LoadAverage
{
    /// <summary>"load average 1.20 0.90 0.70" (1, 5, 15 minutes), or "load average n/a" off Linux.</summary>
    public static string Describe()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return $"load average {string.Join(' ', fields.Take(3))}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "load average n/a"; }
    }
}
