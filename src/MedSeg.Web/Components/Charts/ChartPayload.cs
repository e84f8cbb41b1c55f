namespace MedSeg.Web.Components.Charts;

/// <summary>
/// What goes over JS interop to the uPlot chart module (camelCase JSON; src/MedSeg.Web/ClientApp/src/linechart.js).
/// <paramref name="SyncKey"/>: charts with the same key share one cursor (by x value); null = not synced.
/// </summary>
public sealed record ChartPayload(IReadOnlyList<ChartLine> Series, string? XLabel, string? YLabel, string XFormat, bool LogY,
    string? SyncKey = null)
{
    public int PointCount => Series.Sum(s => s.X.Length);

    /// <summary>
    /// Per series: the raw curve LTTB-downsampled to <paramref name="maxPoints"/>, faint when smoothed; and the EMA of
    /// the FULL raw curve (so smoothing is the same whatever the zoom), also downsampled, drawn solid with a legend.
    /// </summary>
    public static ChartPayload Build(IReadOnlyList<LineSeries> series, int maxPoints, double smoothing,
        string? xLabel = null, string? yLabel = null, string xFormat = "number", bool logY = false, string? syncKey = null)
    {
        var lines = new List<ChartLine>();
        foreach (var s in series)
        {
            var n = s.Count;
            var x = n == s.X.Count ? s.X : s.X.Take(n).ToArray();
            var y = n == s.Y.Count ? s.Y : s.Y.Take(n).ToArray();
            var (rx, ry) = Lttb.Downsample(x, y, maxPoints);
            if (smoothing <= 0)
            {
                lines.Add(ChartLine.Create(s.Name, s.Color, 1.0, 1.5, rx, ry, legend: true));
                continue;
            }
            lines.Add(ChartLine.Create(s.Name + " (raw)", s.Color, 0.25, 1, rx, ry, legend: false));
            var (sx, sy) = Lttb.Downsample(x, Ema.Smooth(y, smoothing), maxPoints);
            lines.Add(ChartLine.Create(s.Name, s.Color, 1.0, 2, sx, sy, legend: true));
        }
        return new ChartPayload(lines, xLabel, yLabel, xFormat, logY, syncKey);
    }
}

/// <summary>
/// One polyline to draw. JSON has no NaN or ±Infinity (System.Text.Json refuses to write them, which would fail the
/// interop call), so a non-finite y travels as null (drawn as a gap) and points with a non-finite x are dropped;
/// <see cref="NonFinite"/> counts both, for the chart's "hidden" note.
/// </summary>
public sealed record ChartLine(string Name, string Color, double Alpha, double Width, double[] X, double?[] Y, bool Legend, int NonFinite)
{
    public static ChartLine Create(string name, string color, double alpha, double width, double[] x, double[] y, bool legend)
    {
        var xs = new List<double>(x.Length);
        var ys = new List<double?>(x.Length);
        var nonFinite = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i])) { nonFinite++; continue; }
            xs.Add(x[i]);
            if (double.IsFinite(y[i])) ys.Add(y[i]);
            else { ys.Add(null); nonFinite++; }
        }
        return new ChartLine(name, color, alpha, width, xs.ToArray(), ys.ToArray(), legend, nonFinite);
    }
}
