using System.Globalization;

namespace MedSeg.Core.Benchmarks;

/// <summary>
/// How many labelled training cases a fine-tune sees: a count, or <see cref="All"/> (the whole training split) — or, as
/// a column of the table only, one-shot kNN label transfer from <see cref="KnnAtlases"/> labelled atlases without any
/// fine-tuning (<see cref="Knn"/>, written "knn-N", after "all"). Which cases is a pure function of (training ids, count, seed) — <see cref="Draw"/> — so every method of a protocol
/// trains on the same cases for the same seed (the pairing the significance test relies on).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LabelBudgetJsonConverter))]
public readonly record struct LabelBudget(int? Cases, int KnnAtlases = 0) : IComparable<LabelBudget>
{
    /// <summary>Largest count a protocol may ask for (a bound on user input, far above any labelled dataset here).</summary>
    public const int MaxCases = 100_000;

    public static LabelBudget All => new(null);

    public const string KnnPrefix = "knn-";

    public bool IsAll => Cases is null && KnnAtlases == 0;

    /// <summary>The one-shot kNN column with <paramref name="atlases"/> labelled atlases.</summary>
    public static LabelBudget Knn(int atlases) => atlases > 0 ? new(null, atlases)
        : throw new ArgumentException($"kNN atlases must be at least 1, got {atlases}.");

    public bool IsKnn => KnnAtlases > 0;

    public override string ToString() => IsKnn ? KnnPrefix + KnnAtlases.ToString(CultureInfo.InvariantCulture)
        : Cases?.ToString(CultureInfo.InvariantCulture) ?? "all";

    /// <summary>A table column's budget as written by <see cref="ToString"/>: a protocol budget or "knn-N".</summary>
    public static LabelBudget ParseColumn(string text) =>
        text.Trim().StartsWith(KnnPrefix, StringComparison.OrdinalIgnoreCase)
        && int.TryParse(text.Trim()[KnnPrefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? Knn(n) : Parse(text);

    /// <summary>"all" or a positive count; the message names <paramref name="field"/> and the value.</summary>
    public static LabelBudget Parse(string text, string field = "budget")
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return All;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n is > 0 and <= MaxCases) return new LabelBudget(n);
        throw new ArgumentException($"{field} must be \"all\" or a whole number of cases from 1 to {MaxCases}, got '{text}'.");
    }

    /// <summary>Numbers ascending, then "all", then the kNN columns by atlases.</summary>
    public int CompareTo(LabelBudget other) => (IsKnn, Cases ?? int.MaxValue, KnnAtlases).CompareTo((other.IsKnn, other.Cases ?? int.MaxValue, other.KnnAtlases));

    /// <summary>
    /// The training cases for this budget and seed: ids sorted (ordinal), shuffled by Fisher–Yates on SplitMix64 seeded with
    /// <paramref name="seed"/>, the first <see cref="Cases"/> kept, returned sorted. Nested: the cases of budget k are among
    /// those of budget k+1 for the same seed, so a learning curve adds cases rather than swapping them.
    /// </summary>
    public IReadOnlyList<string> Draw(IReadOnlyCollection<string> trainIds, long seed)
    {
        if (IsKnn) throw new InvalidOperationException($"{this} is a kNN column, not a fine-tune budget.");
        var ids = trainIds.Distinct().Order(StringComparer.Ordinal).ToList();
        if (Cases is not int n) return ids;
        if (n > ids.Count)
            throw new ArgumentException($"budget {n} asks for more labelled cases than the training split holds ({ids.Count}).");
        ulong state = unchecked((ulong)seed);
        for (int i = ids.Count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids.Take(n).Order(StringComparer.Ordinal).ToList();
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
