namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// How <see cref="DatasetSplit"/> divides case ids into train / val / test: a seeded shuffle with the given
/// fractions, or explicit validation and test lists (everything else trains).
/// </summary>
public sealed class SplitOptions
{
    public int Seed { get; init; }

    /// <summary>Fraction of cases for validation, rounded to the nearest case count; default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Fraction of labelled cases held out for testing; default 0.</summary>
    public double TestFraction { get; init; }

    /// <summary>Explicit validation case ids; when this or <see cref="Test"/> is set the fractions and seed are not used.</summary>
    public IReadOnlyList<string>? Validation { get; init; }

    public IReadOnlyList<string>? Test { get; init; }
}
