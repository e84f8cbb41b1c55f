using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Cli.Commands;

/// <summary>
/// Text progress bar for dataset generation, redrawn in place with '\r' (at most ~8 times a second):
/// bar, volumes done/total, volumes/s, ETA. Safe to report from several threads.
/// </summary>
internal sealed class ConsoleProgressBar(TextWriter output, int width = 30) : IProgress<GenerationProgress>
{
    private readonly Lock _lock = new();
    private TimeSpan _lastDraw = TimeSpan.FromSeconds(-1);
    private int _lastDone = -1;
    private int _lastLength;

    public void Report(GenerationProgress p)
    {
        lock (_lock)
        {
            if (p.Done <= _lastDone) return; // a later report may arrive first from another thread
            bool final = p.Done == p.Total;
            if (!final && p.Elapsed - _lastDraw < TimeSpan.FromMilliseconds(125)) { _lastDone = p.Done; return; }
            _lastDone = p.Done;
            _lastDraw = p.Elapsed;
            string line = Format(p, width);
            output.Write('\r' + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
            _lastLength = line.Length;
            if (final) output.WriteLine();
            output.Flush();
        }
    }

    internal static string Format(GenerationProgress p, int width)
    {
        double fraction = p.Total == 0 ? 1 : (double)p.Done / p.Total;
        int filled = (int)Math.Round(fraction * width);
        string eta = p.EstimatedRemaining is { } r ? FormatDuration(r) : "--:--";
        string skipped = p.Skipped > 0 ? $" ({p.Skipped} already present)" : "";
        return FormattableString.Invariant($"[{new string('#', filled)}{new string('.', width - filled)}] {p.Done}/{p.Total} volumes{skipped}  {p.VolumesPerSecond:F1} vol/s  ETA {eta}");
    }

    internal static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes:D2}:{t.Seconds:D2}";
}
