using System.Text;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// The table as LaTeX (booktabs): one column group per dataset, one column per budget, mean ± sd, the column's best in
/// bold, a dagger on cells whose Wilcoxon test against the baseline gives p &lt; 0.05 and a dot where there were too few
/// pairs for a test. Needs \usepackage{booktabs}.
/// </summary>
public static class BenchmarkLatex
{
    public const double Alpha = 0.05;

    public static string Write(BenchmarkTable table, string? caption = null)
    {
        var sb = new StringBuilder();
        var datasets = table.Columns.GroupBy(c => c.Dataset).ToList();
        sb.Append("\\begin{table}[t]\n\\centering\n");
        if (caption is not null) sb.Append("\\caption{").Append(Escape(caption)).Append("}\n");
        sb.Append("\\begin{tabular}{l").Append(new string('c', table.Columns.Count)).Append("}\n\\toprule\n");
        sb.Append("Method");
        int col = 2;
        var rules = new List<string>();
        foreach (var d in datasets)
        {
            int n = d.Count();
            sb.Append(" & \\multicolumn{").Append(n).Append("}{c}{").Append(Escape(d.Key)).Append('}');
            rules.Add($"\\cmidrule(lr){{{col}-{col + n - 1}}}");
            col += n;
        }
        sb.Append(" \\\\\n").Append(string.Join(" ", rules)).Append('\n');
        sb.Append("Labelled cases");
        foreach (var c in table.Columns) sb.Append(" & ").Append(c.Budget);
        sb.Append(" \\\\\n\\midrule\n");
        foreach (var method in table.Methods)
        {
            sb.Append(Escape(method));
            foreach (var column in table.Columns)
            {
                sb.Append(" & ");
                if (table.Cell(method, column) is not { } cell) { sb.Append("--"); continue; }
                var text = BenchmarkFormat.MeanSd(cell, " $\\pm$ ", "$\\infty$", "--");
                sb.Append(cell.Best ? $"\\textbf{{{text}}}" : text);
                if (cell.VsBaseline is { TooFewPairs: true }) sb.Append("$^{\\cdot}$");
                else if (cell.VsBaseline?.PValue < Alpha) sb.Append("$^{\\dagger}$");
            }
            sb.Append(" \\\\\n");
        }
        sb.Append("\\bottomrule\n\\end{tabular}\n");
        sb.Append("% ").Append(BenchmarkMetric.Display(table.Metric)).Append(", mean $\\pm$ sd over seeds; bold: best per column");
        if (table.Baseline is { } b)
            sb.Append($"; $\\dagger$: Wilcoxon signed-rank vs {Escape(b)} p < {Alpha} (pairs: test cases $\\times$ seeds); $\\cdot$: fewer than {BenchmarkTable.MinPairsForTest} pairs, not tested");
        if (table.Columns.Any(c => c.Budget.IsKnn)) sb.Append("; ").Append(BenchmarkFormat.KnnNote);
        sb.Append("\n\\end{table}\n");
        return sb.ToString();
    }

    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char ch in s)
            sb.Append(ch switch
            {
                '\\' => "\\textbackslash{}", '&' => "\\&", '%' => "\\%", '$' => "\\$", '#' => "\\#", '_' => "\\_",
                '{' => "\\{", '}' => "\\}", '~' => "\\textasciitilde{}", '^' => "\\textasciicircum{}", _ => ch.ToString(),
            });
        return sb.ToString();
    }
}
