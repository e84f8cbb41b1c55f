using MedSeg.Training.Progress;

namespace MedSeg.Cli.Commands;

/// <summary>
/// One-line training progress redrawn with '\r' (at most ~4 times a second); validation results and
/// checkpoints get their own lines so they stay visible.
/// </summary>
internal sealed class TrainingProgressBar(TextWriter output, int width = 24) : IProgress<TrainingProgress>
{
    private DateTime _lastDraw = DateTime.MinValue;
    private int _lastLength;

    public void Report(TrainingProgress p)
    {
        bool final = p.Step == p.TotalSteps;
        if (p.ValidationDice is not null || p.CheckpointPath is not null)
        {
            Clear();
            if (p.ValidationDice is not null)
                output.WriteLine($"step {p.Step}: validation Dice per class [{string.Join(", ", p.ValidationDice.Select(d => d?.ToString("F3") ?? "-"))}], mean foreground {p.ValidationMeanDice:F4}");
            if (p.CheckpointPath is not null) output.WriteLine($"step {p.Step}: checkpoint {p.CheckpointPath}");
        }
        var now = DateTime.UtcNow;
        if (!final && now - _lastDraw < TimeSpan.FromMilliseconds(250)) return;
        _lastDraw = now;
        var line = Format(p, width);
        output.Write('\r' + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
        _lastLength = line.Length;
        if (final) { output.WriteLine(); _lastLength = 0; }
        output.Flush();
    }

    internal static string Format(TrainingProgress p, int width)
    {
        double fraction = p.TotalSteps == 0 ? 1 : (double)p.Step / p.TotalSteps;
        int filled = (int)Math.Round(fraction * width);
        var eta = p.Eta is { } e ? (e.TotalHours >= 1 ? $"{(int)e.TotalHours}:{e.Minutes:D2}:{e.Seconds:D2}" : $"{e.Minutes:D2}:{e.Seconds:D2}") : "--:--";
        return $"[{new string('#', filled)}{new string('.', width - filled)}] step {p.Step}/{p.TotalSteps} epoch {p.Epoch:F2} " +
               $"loss {p.Loss:F4} lr {p.LearningRate:0.00e+00} {p.SamplesPerSecond:F1} samples/s data-wait {p.DataWaitFraction:P0} " +
               $"mem {p.MemoryBytes / (1024.0 * 1024 * 1024):F2} GB ETA {eta}";
    }

    private void Clear()
    {
        if (_lastLength == 0) return;
        output.Write('\r' + new string(' ', _lastLength) + '\r');
        _lastLength = 0;
    }
}
