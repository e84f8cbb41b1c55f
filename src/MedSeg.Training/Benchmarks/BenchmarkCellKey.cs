using System.Globalization;
using MedSeg.Core.Benchmarks;

namespace MedSeg.Training.Benchmarks;

/// <summary>One fine-tune of a protocol: method × dataset × budget × seed, and its run folder under the benchmark folder.</summary>
public sealed record BenchmarkCellKey(string Method, string Dataset, LabelBudget Budget, long Seed)
{
    /// <summary>cells/&lt;method&gt;/&lt;dataset&gt;/budget-&lt;b&gt;/seed-&lt;s&gt; (relative, '/').</summary>
    public string RelativeFolder => string.Create(CultureInfo.InvariantCulture, $"cells/{Method}/{Dataset}/budget-{Budget}/seed-{Seed}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Method} / {Dataset} / {Budget} / seed {Seed}");
}
