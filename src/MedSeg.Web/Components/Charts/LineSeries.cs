namespace MedSeg.Web.Components.Charts;

/// <summary>
/// One curve for <see cref="LineChart"/>: x (step or seconds) and y of equal length, x ascending. The owner may
/// keep appending to the lists between renders; the chart reads them on each render.
/// </summary>
public sealed class LineSeries(string name, string color, IReadOnlyList<double> x, IReadOnlyList<double> y)
{
    public string Name { get; } = name;
    /// <summary>A CSS colour.</summary>
    public string Color { get; } = color;
    public IReadOnlyList<double> X { get; } = x;
    public IReadOnlyList<double> Y { get; } = y;
    public int Count => Math.Min(X.Count, Y.Count);
}
