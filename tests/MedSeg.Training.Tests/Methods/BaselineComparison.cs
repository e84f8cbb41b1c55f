using System.Globalization;
using MedSeg.Training.Weights;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// Compares a run's fingerprint with a recorded one the way CPUs allow: text exactly, numbers within a relative
/// tolerance (libtorch's AVX-512, AVX2 and plain kernels round differently; losses were seen to differ by up to
/// 2.3e-6 relative after 20 steps), weights by their mean difference.
/// </summary>
internal static class BaselineComparison
{
    /// <summary>40× the largest loss difference seen between CPU kinds; a changed seed, schedule or loss moves by 1e-2.</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>
    /// Weights after 20 Adam steps, measured (fixture README): AVX-512 vs plain kernels differ by mean |diff| 9.0e-5 and
    /// relative L2 4.1e-3; a learning rate 3 % off differs by 9.3e-4 and 2.3e-2. The largest difference says little:
    /// Adam scales near-zero gradients to full steps, so the bias of a norm feeding another norm drifts by 1.3e-2.
    /// </summary>
    public const double MeanWeightTolerance = 3e-4;

    /// <summary>‖expected − actual‖ / ‖expected‖ allowed over all weights (see <see cref="MeanWeightTolerance"/>).</summary>
    public const double RelativeL2Tolerance = 1e-2;

    private static readonly char[] Separators = [' ', ',', '[', ']'];

    /// <summary>One message per line that differs beyond tolerance (empty when the fingerprints agree).</summary>
    public static List<string> Lines(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var problems = new List<string>();
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(missing)";
            var a = i < actual.Count ? actual[i] : "(missing)";
            if (e != a && !NumbersClose(e, a))
                problems.Add($"line {i}: expected {Shorten(e)}{Environment.NewLine}        actual   {Shorten(a)}");
        }
        return problems;
    }

    /// <summary>Same tensor names, shapes and dtypes, and mean and relative L2 differences within tolerance.</summary>
    public static WeightComparison Weights(string expectedPath, string actualPath)
    {
        using var expected = SafetensorsFile.Read(expectedPath);
        using var actual = SafetensorsFile.Read(actualPath);
        var names = expected.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(actual.Tensors.Keys.Order(StringComparer.Ordinal)))
            return new(false, $"tensor names differ: expected {string.Join(",", names)}; actual {string.Join(",", actual.Tensors.Keys)}");
        double maxDiff = 0, sumDiff = 0, sumSquaredDiff = 0, sumSquared = 0;
        long count = 0;
        string worst = "";
        foreach (var name in names)
        {
            using var scope = NewDisposeScope();
            var (e, a) = (expected[name], actual[name]);
            if (e.dtype != a.dtype || !e.shape.SequenceEqual(a.shape))
                return new(false, $"tensor '{name}': expected {e.dtype} [{string.Join(",", e.shape)}], actual {a.dtype} [{string.Join(",", a.shape)}]");
            using var diff = (e.to_type(float64) - a.to_type(float64)).abs();
            var max = diff.numel() == 0 ? 0 : diff.max().item<double>();
            sumDiff += diff.sum().item<double>();
            sumSquaredDiff += diff.square().sum().item<double>();
            sumSquared += e.to_type(float64).square().sum().item<double>();
            count += diff.numel();
            if (max > maxDiff) (maxDiff, worst) = (max, name);
        }
        var mean = sumDiff / Math.Max(1, count);
        var relativeL2 = Math.Sqrt(sumSquaredDiff / Math.Max(sumSquared, 1e-300));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"weights: {names.Count} tensors, {count} values, mean |diff| {mean:G3} (tolerance {MeanWeightTolerance:G3}), "
            + $"relative L2 {relativeL2:G3} (tolerance {RelativeL2Tolerance:G3}), max |diff| {maxDiff:G3} (in '{worst}')");
        return new(mean <= MeanWeightTolerance && relativeL2 <= RelativeL2Tolerance, summary);
    }

    /// <summary>Lines that differ only in numbers, each within <see cref="RelativeTolerance"/>.</summary>
    private static bool NumbersClose(string expected, string actual)
    {
        var e = expected.Split(Separators);
        var a = actual.Split(Separators);
        if (e.Length != a.Length) return false;
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] == a[i]) continue;
            if (!double.TryParse(e[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                || !(Math.Abs(x - y) <= RelativeTolerance * Math.Abs(x) + 1e-12))
                return false;
        }
        return true;
    }

    private static string Shorten(string line) => line.Length <= 300 ? line : line[..300] + "…";
}

internal sealed record WeightComparison(bool WithinTolerance, string Summary);
