using System.Text;

namespace MedSeg.Core.Benchmarks;

/// <summary>A cell's run for the report: its name (method / dataset / budget / seed) and flattened config.json.</summary>
public sealed record ReportRun(string Name, IReadOnlyDictionary<string, string> Config);

/// <summary>
/// One self-contained HTML file of a protocol run (inline CSS and SVG, no scripts or links): for each metric the table
/// (mean ± sd, best bold, Wilcoxon p and pairs against the baseline), per dataset the learning curve and bar chart of
/// the first metric, the protocol, and every run's config keys that differ between runs.
/// </summary>
public static class BenchmarkHtmlReport
{
    public static string Write(string title, IReadOnlyList<BenchmarkScore> scores, IReadOnlyList<string> metrics, string? protocolJson = null,
        IReadOnlyList<ReportRun>? runs = null, IReadOnlyList<string>? methodOrder = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
          .Append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
          .Append("th,td{padding:4px 10px;text-align:center;border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}")
          .Append("thead th{border-bottom:2px solid #444}.best{font-weight:bold}.p{display:block;font-size:11px;color:#666}")
          .Append("pre{background:#f6f6f6;padding:8px;overflow:auto}.plots svg{margin:0 12px 12px 0}</style></head><body>\n");
        sb.Append("<h1>").Append(E(title)).Append("</h1>\n");
        BenchmarkTable? first = null;
        foreach (var metric in metrics)
        {
            var table = BenchmarkTable.Build(scores, metric, BenchmarkTable.DefaultBaseline, methodOrder);
            if (table.Columns.Count == 0) continue;
            first ??= table;
            sb.Append("<h2>").Append(E(BenchmarkMetric.Display(metric))).Append("</h2>\n");
            Table(sb, table);
        }
        if (first is not null)
        {
            sb.Append("<h2>Plots (").Append(E(BenchmarkMetric.Display(first.Metric))).Append(")</h2>\n<div class=\"plots\">\n");
            foreach (var dataset in first.Columns.Select(c => c.Dataset).Distinct())
                sb.Append(BenchmarkSvg.LearningCurve(first, dataset)).Append(BenchmarkSvg.BarChart(first, dataset));
            sb.Append("</div>\n");
        }
        if (protocolJson is not null) sb.Append("<h2>Protocol</h2>\n<pre>").Append(E(protocolJson)).Append("</pre>\n");
        if (runs is { Count: > 0 })
        {
            var keys = ConfigDiff.DifferingKeys(runs.Select(r => r.Config));
            sb.Append("<h2>Run configurations: what differs (").Append(keys.Count).Append(" of ")
              .Append(runs.SelectMany(r => r.Config.Keys).Distinct().Count()).Append(" settings)</h2>\n<table class=\"configs\"><thead><tr><th>run</th>");
            foreach (var k in keys) sb.Append("<th>").Append(E(k)).Append("</th>");
            sb.Append("</tr></thead><tbody>\n");
            foreach (var r in runs)
            {
                sb.Append("<tr><td>").Append(E(r.Name)).Append("</td>");
                foreach (var k in keys) sb.Append("<td>").Append(E(r.Config.TryGetValue(k, out var v) ? v : "–")).Append("</td>");
                sb.Append("</tr>\n");
            }
            sb.Append("</tbody></table>\n");
        }
        return sb.Append("</body></html>\n").ToString();
    }

    private static void Table(StringBuilder sb, BenchmarkTable table)
    {
        sb.Append("<table class=\"benchmark\" data-metric=\"").Append(E(table.Metric)).Append("\"><thead><tr><th rowspan=\"2\">method</th>");
        foreach (var g in table.Columns.GroupBy(c => c.Dataset))
            sb.Append("<th colspan=\"").Append(g.Count()).Append("\">").Append(E(g.Key)).Append("</th>");
        sb.Append("</tr><tr>");
        foreach (var c in table.Columns) sb.Append("<th>").Append(E(c.Budget.ToString())).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var method in table.Methods)
        {
            sb.Append("<tr><td>").Append(E(method)).Append("</td>");
            foreach (var column in table.Columns)
            {
                if (table.Cell(method, column) is not { } cell) { sb.Append("<td>–</td>"); continue; }
                sb.Append(cell.Best ? "<td class=\"best\">" : "<td>").Append(E(BenchmarkFormat.MeanSd(cell)));
                var test = BenchmarkFormat.Test(cell);
                if (test.Length > 0) sb.Append("<span class=\"p\">").Append(E(test)).Append("</span>");
                sb.Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
        if (table.Columns.Any(c => c.Budget.IsKnn)) sb.Append("<p class=\"p\">").Append(E(BenchmarkFormat.KnnNote)).Append(".</p>\n");
        if (table.Baseline is { } b)
            sb.Append("<p class=\"p\">mean ± sd over seeds; bold: best per column; p: two-sided Wilcoxon signed-rank test against ")
              .Append(E(b)).Append(" over test cases × seeds (n pairs); “too few”: under ").Append(BenchmarkTable.MinPairsForTest).Append(" non-zero pairs.</p>\n");
    }

    /// <summary>Escapes markup only (UTF-8 page: ±, ∞ and · stay readable in the file).</summary>
    internal static string E(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
