namespace MedSeg.Web.Components.Charts;

/// <summary>What goes over JS interop to wwwroot/js/linechart.js (camelCase JSON).</summary>
public sealed record ChartPayload(IReadOnlyList<ChartLine> Series, string? XLabel, string? YLabel, string XFormat, bool LogY)
{
    public int PointCount => Series.Sum(s => s.X.Length);

    /// <summary>
    /// Per series: the raw curve LTTB-downsampled to <paramref name="maxPoints"/>, faint when smoothed; and the EMA of
    /// the FULL raw curve (so smoothing is the same whatever the zoom), also downsampled, drawn solid with a legend.
    /// </summary>
    public static ChartPayload Build(IReadOnlyList<LineSeries> series, int maxPoints, double smoothing,
        string? xLabel = null, string? yLabel = null, string xFormat = "number", bool logY = false)
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
                lines.Add(new ChartLine(s.Name, s.Color, 1.0, 1.5, rx, ry, Legend: true));
                continue;
            }
            lines.Add(new ChartLine(s.Name + " (raw)", s.Color, 0.25, 1, rx, ry, Legend: false));
            var (sx, sy) = Lttb.Downsample(x, Ema.Smooth(y, smoothing), maxPoints);
            lines.Add(new ChartLine(s.Name, s.Color, 1.0, 2, sx, sy, Legend: true));
        }
        return new ChartPayload(lines, xLabel, yLabel, xFormat, logY);
    }
}

/// <summary>One polyline to draw.</summary>
public sealed record ChartLine(string Name, string Color, double Alpha, double Width, double[] X, double[] Y, bool Legend);
