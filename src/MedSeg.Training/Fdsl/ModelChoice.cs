namespace MedSeg.Training.Fdsl;

/// <summary>
/// Which network a run trains, as stored in checkpoints: a resumed run must build the same thing.
/// </summary>
public sealed record ModelChoice(string Name, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>Canonical text, e.g. "SwinUNETR(feature_size=12, in_channels=1, out_channels=4)".</summary>
    public string Signature => $"{Name}({string.Join(", ", Args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))})";

    public override string ToString() => Signature;
}
