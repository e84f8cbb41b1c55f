using System.Globalization;
using System.Text;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// CSV exports: tidy (<c>method,dataset,budget,seed,metric,value</c>, one row per cell, seed and metric) and summary
/// (one row per method × dataset × budget of one metric: <c>mean,sd,n,pairs,p_vs_scratch</c>). Invariant culture,
/// RFC 4180 quoting, NaN/inf written as "NaN"/"inf"/"-inf", empty when not applicable.
/// </summary>
public static class BenchmarkCsv
{
    public static string Tidy(IEnumerable<BenchmarkScore> scores)
    {
        var sb = new StringBuilder("method,dataset,budget,seed,metric,value\n");
        foreach (var s in scores.OrderBy(s => s.Method, StringComparer.Ordinal).ThenBy(s => s.Dataset, StringComparer.Ordinal)
                     .ThenBy(s => s.Budget).ThenBy(s => s.Seed).ThenBy(s => s.Metric, StringComparer.Ordinal))
            sb.Append(Field(s.Method)).Append(',').Append(Field(s.Dataset)).Append(',').Append(s.Budget).Append(',')
              .Append(s.Seed.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Field(s.Metric)).Append(',').Append(Number(s.Value)).Append('\n');
        return sb.ToString();
    }

    public static string Summary(BenchmarkTable table)
    {
        var sb = new StringBuilder($"method,dataset,budget,metric,mean,sd,n,pairs,p_vs_{table.Baseline ?? BenchmarkTable.DefaultBaseline}\n");
        foreach (var method in table.Methods)
            foreach (var column in table.Columns)
            {
                if (table.Cell(method, column) is not { } c) continue;
                sb.Append(Field(method)).Append(',').Append(Field(column.Dataset)).Append(',').Append(column.Budget).Append(',')
                  .Append(Field(table.Metric)).Append(',').Append(Number(c.Mean)).Append(',').Append(Number(c.Sd)).Append(',')
                  .Append(c.N.ToString(CultureInfo.InvariantCulture)).Append(',')
                  .Append(c.VsBaseline is { } t ? t.Test.Pairs.ToString(CultureInfo.InvariantCulture) : "").Append(',')
                  .Append(c.VsBaseline?.PValue is double p ? Number(p) : "").Append('\n');
            }
        return sb.ToString();
    }

    public static string Number(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);

    public static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
