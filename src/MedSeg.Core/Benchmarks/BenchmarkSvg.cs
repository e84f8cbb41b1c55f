using System.Globalization;
using System.Text;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// Self-contained SVG plots of a <see cref="BenchmarkTable"/> (no scripts, fonts or external files, so they export as
/// they are and rasterise in a browser canvas for PNG): per dataset a learning curve (metric vs labelled cases, one line
/// per method with a mean ± sd band over seeds) and a bar chart (bars per method grouped by budget, sd error bars).
/// Budgets sit at evenly spaced positions ("all" last); non-finite means are left out.
/// </summary>
public static class BenchmarkSvg
{
    private const int W = 640, H = 360, Left = 56, Right = 170, Top = 28, Bottom = 44;
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Colour(int index) => Palette[index % Palette.Length];

    public static string LearningCurve(BenchmarkTable table, string dataset)
    {
        var budgets = table.Columns.Where(c => c.Dataset == dataset && !c.Budget.IsKnn).ToList(); // kNN columns are no point on the curve
        var (lo, hi) = Range(table, budgets);
        var sb = Open($"{dataset}: {BenchmarkMetric.Display(table.Metric)} vs labelled cases");
        double X(int i) => budgets.Count == 1 ? Left + (W - Left - Right) / 2.0 : Left + i * (W - Left - Right) / (double)(budgets.Count - 1);
        Axes(sb, lo, hi, budgets.Select((b, i) => (X(i), b.Budget.ToString())), "labelled cases");
        for (int m = 0; m < table.Methods.Count; m++)
        {
            var points = budgets.Select((b, i) => (i, cell: table.Cell(table.Methods[m], b)))
                .Where(p => p.cell is { } c && double.IsFinite(c.Mean)).Select(p => (x: X(p.i), c: p.cell!)).ToList();
            if (points.Count == 0) continue;
            string colour = Colour(m);
            var band = points.Where(p => double.IsFinite(p.c.Sd)).ToList();
            if (band.Count > 0)
            {
                var upper = band.Select(p => Pt(p.x, Y(p.c.Mean + p.c.Sd, lo, hi)));
                var lower = band.AsEnumerable().Reverse().Select(p => Pt(p.x, Y(p.c.Mean - p.c.Sd, lo, hi)));
                sb.Append($"<polygon class=\"band\" points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{colour}\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
            }
            sb.Append($"<polyline class=\"curve\" points=\"{string.Join(' ', points.Select(p => Pt(p.x, Y(p.c.Mean, lo, hi))))}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            foreach (var p in points) sb.Append($"<circle cx=\"{F(p.x)}\" cy=\"{F(Y(p.c.Mean, lo, hi))}\" r=\"3\" fill=\"{colour}\"/>\n");
        }
        Legend(sb, table.Methods);
        return sb.Append("</svg>\n").ToString();
    }

    public static string BarChart(BenchmarkTable table, string dataset)
    {
        var budgets = table.Columns.Where(c => c.Dataset == dataset).ToList();
        var (lo, hi) = Range(table, budgets);
        lo = Math.Min(lo, 0);
        var sb = Open($"{dataset}: {BenchmarkMetric.Display(table.Metric)} (mean ± sd over seeds)");
        double group = (W - Left - Right) / (double)Math.Max(1, budgets.Count);
        double bar = group * 0.8 / Math.Max(1, table.Methods.Count);
        Axes(sb, lo, hi, budgets.Select((b, i) => (Left + (i + 0.5) * group, b.Budget.ToString())), "labelled cases");
        for (int i = 0; i < budgets.Count; i++)
            for (int m = 0; m < table.Methods.Count; m++)
            {
                if (table.Cell(table.Methods[m], budgets[i]) is not { } c || !double.IsFinite(c.Mean)) continue;
                double x = Left + i * group + group * 0.1 + m * bar, y = Y(c.Mean, lo, hi), y0 = Y(Math.Max(lo, 0), lo, hi);
                sb.Append($"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(Math.Min(y, y0))}\" width=\"{F(bar * 0.9)}\" height=\"{F(Math.Abs(y0 - y))}\" fill=\"{Colour(m)}\"/>\n");
                if (double.IsFinite(c.Sd))
                {
                    double cx = x + bar * 0.45, ya = Y(c.Mean - c.Sd, lo, hi), yb = Y(c.Mean + c.Sd, lo, hi);
                    sb.Append($"<path class=\"error\" d=\"M{F(cx)} {F(ya)}V{F(yb)}M{F(cx - 3)} {F(ya)}h6M{F(cx - 3)} {F(yb)}h6\" stroke=\"#222\" fill=\"none\"/>\n");
                }
            }
        Legend(sb, table.Methods);
        return sb.Append("</svg>\n").ToString();
    }

    private static (double Lo, double Hi) Range(BenchmarkTable table, IReadOnlyList<BenchmarkColumn> columns)
    {
        var values = columns.SelectMany(c => table.Methods.Select(m => table.Cell(m, c))).OfType<BenchmarkCell>()
            .SelectMany(c => new[] { c.Mean, c.Mean - (double.IsFinite(c.Sd) ? c.Sd : 0), c.Mean + (double.IsFinite(c.Sd) ? c.Sd : 0) })
            .Where(double.IsFinite).ToList();
        if (values.Count == 0) return (0, 1);
        double lo = values.Min(), hi = values.Max();
        if (BenchmarkMetric.HigherIsBetter(table.Metric)) { lo = Math.Min(lo, 0); hi = Math.Max(hi, 1); }
        if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
        return (lo, hi);
    }

    private static double Y(double v, double lo, double hi) => Top + (H - Top - Bottom) * (1 - (v - lo) / (hi - lo));

    private static StringBuilder Open(string title) => new StringBuilder()
        .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"11\">\n")
        .Append($"<rect width=\"{W}\" height=\"{H}\" fill=\"#fff\"/>\n<text x=\"{Left}\" y=\"16\" font-size=\"13\">{Esc(title)}</text>\n");

    private static void Axes(StringBuilder sb, double lo, double hi, IEnumerable<(double X, string Label)> ticks, string xLabel)
    {
        sb.Append($"<path d=\"M{Left} {Top}V{H - Bottom}H{W - Right}\" stroke=\"#444\" fill=\"none\"/>\n");
        for (int k = 0; k <= 4; k++)
        {
            double v = lo + k * (hi - lo) / 4, y = Y(v, lo, hi);
            sb.Append($"<path d=\"M{Left - 4} {F(y)}H{W - Right}\" stroke=\"#ddd\"/><text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(v, "G3")}</text>\n");
        }
        foreach (var (x, label) in ticks)
            sb.Append($"<text x=\"{F(x)}\" y=\"{H - Bottom + 16}\" text-anchor=\"middle\">{Esc(label)}</text>\n");
        sb.Append($"<text x=\"{(Left + W - Right) / 2}\" y=\"{H - 8}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<string> methods)
    {
        for (int m = 0; m < methods.Count; m++)
        {
            int y = Top + 6 + m * 16;
            sb.Append($"<rect x=\"{W - Right + 12}\" y=\"{y - 8}\" width=\"10\" height=\"10\" fill=\"{Colour(m)}\"/><text x=\"{W - Right + 26}\" y=\"{y + 1}\">{Esc(methods[m])}</text>\n");
        }
    }

    private static string Pt(double x, double y) => $"{F(x)},{F(y)}";
    private static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Esc(string s) => BenchmarkHtmlReport.E(s);
}
