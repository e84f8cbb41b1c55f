using System.Text.Json;
using MedSeg.Training.Layout;

namespace MedSeg.Training.Checkpoints;

/// <summary>
/// The axis order of a training run: the one requested, else — when resuming — the newest checkpoint's (so runs from
/// before <see cref="AxisOrders.Default"/> changed resume in their own order, <see cref="AxisOrders.Legacy"/> when they
/// record none), else the default. A request that contradicts the checkpoint is refused by the loop's resume check.
/// </summary>
public static class RunAxisOrder
{
    public static AxisOrder For(AxisOrder? requested, string outputDir, bool resume) =>
        requested ?? (resume ? Resumed(outputDir) : null) ?? AxisOrders.Default;

    /// <summary>The order of the checkpoint a resume of <paramref name="outputDir"/> continues from; null when there is none
    /// (or its state cannot be read: the loop then fails on it with the reason).</summary>
    public static AxisOrder? Resumed(string outputDir)
    {
        var checkpoints = Path.Combine(outputDir, "checkpoints");
        if (!Directory.Exists(checkpoints)) return null;
        var latest = new CheckpointStore(checkpoints).Latest();
        if (latest is null) return null;
        try { return CheckpointStore.ReadState(latest).EffectiveAxisOrder; }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException) { return null; }
    }
}
