using System.Text.RegularExpressions;
using MedSeg.Core.Benchmarks;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>
/// The exports of a benchmark view, the same text as `medseg benchmark table`: tidy CSV, summary CSV, LaTeX, HTML report,
/// and the SVG plots. One place for the page's buttons and <c>GET /api/benchmarks/{id}/export</c>.
/// </summary>
public static partial class BenchmarkExport
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "summary", "latex", "html", "curve-svg", "bars-svg"];

    /// <summary>(file name, content type, text); <paramref name="dataset"/> picks the plotted dataset (default: the first).</summary>
    public static (string FileName, string ContentType, string Text) Build(BenchmarkView view, string format, string? metric, string? dataset = null)
    {
        var m = metric ?? view.Metrics.FirstOrDefault() ?? BenchmarkMetric.Dice;
        if (view.Scores.Count > 0 && !view.Metrics.Contains(m))
            throw new ArgumentException($"metric must be one of {string.Join(", ", view.Metrics)}, got '{m}'.");
        var table = BenchmarkTable.Build(view.Scores, m, BenchmarkTable.DefaultBaseline, view.MethodOrder);
        var title = $"{view.Entry.Name} v{view.Entry.Version}";
        var stem = Safe($"{view.Entry.Name}-v{view.Entry.Version}");
        var plotted = dataset ?? table.Columns.Select(c => c.Dataset).FirstOrDefault() ?? "";
        return format switch
        {
            "csv" => ($"{stem}.csv", "text/csv", BenchmarkCsv.Tidy(view.Scores)),
            "summary" => ($"{stem}-{Safe(m)}-summary.csv", "text/csv", BenchmarkCsv.Summary(table)),
            "latex" => ($"{stem}-{Safe(m)}.tex", "application/x-tex", BenchmarkLatex.Write(table, $"{title}: {BenchmarkMetric.Display(m)}")),
            "html" => ($"{stem}.html", "text/html", BenchmarkHtmlReport.Write(title, view.Scores,
                view.Metrics.Where(x => x == m).Concat(view.Metrics.Where(x => x != m)).ToList(), view.Protocol.ToJson(),
                view.Configs, view.MethodOrder)),
            "curve-svg" => ($"{stem}-{Safe(plotted)}-{Safe(m)}-curve.svg", "image/svg+xml", BenchmarkSvg.LearningCurve(table, plotted)),
            "bars-svg" => ($"{stem}-{Safe(plotted)}-{Safe(m)}-bars.svg", "image/svg+xml", BenchmarkSvg.BarChart(table, plotted)),
            _ => throw new ArgumentException($"format must be one of {string.Join(", ", Formats)}, got '{format}'."),
        };
    }

    private static string Safe(string s) => Unsafe().Replace(s, "_");

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
