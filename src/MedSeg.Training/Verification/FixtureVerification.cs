using MedSeg.Training.Weights;

namespace MedSeg.Training.Verification;

/// <summary>Outcome of running a model on a reference fixture (see <see cref="FixtureVerifier"/>).</summary>
public sealed record FixtureVerification(
    string FixturePath,
    string ModelName,
    string ModelType,
    IReadOnlyDictionary<string, string> Arguments,
    long ParameterCount,
    StateDictLoadReport LoadReport,
    long[] InputShape,
    long[] ExpectedShape,
    long[]? OutputShape,
    double MaxAbsDifference,
    double Tolerance,
    TimeSpan ForwardTime,
    IReadOnlyList<OutputComparison>? Outputs = null)
{
    /// <summary>
    /// Weights loaded exactly, shapes agree and the max-abs difference is within tolerance — for every reference
    /// output (<see cref="Outputs"/>) when the fixture holds several (deep supervision).
    /// </summary>
    public bool Passed => LoadReport.IsExact && OutputShape is not null && OutputShape.SequenceEqual(ExpectedShape)
        && MaxAbsDifference <= Tolerance && (Outputs ?? []).All(o => o.Passed(Tolerance));
}

/// <summary>One reference output of a fixture against the network's (e.g. <c>__output_ds2__</c>).</summary>
public sealed record OutputComparison(string Name, long[] ExpectedShape, long[]? ActualShape, double MaxAbsDifference)
{
    public bool Passed(double tolerance) =>
        ActualShape is not null && ActualShape.SequenceEqual(ExpectedShape) && MaxAbsDifference <= tolerance;
}
