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
    TimeSpan ForwardTime)
{
    /// <summary>Weights loaded exactly, shapes agree and the max-abs difference is within tolerance.</summary>
    public bool Passed => LoadReport.IsExact && OutputShape is not null && OutputShape.SequenceEqual(ExpectedShape)
        && MaxAbsDifference <= Tolerance;
}
