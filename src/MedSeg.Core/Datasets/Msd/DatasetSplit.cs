using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>Case ids for training, validation and testing, as written to split.json.</summary>
public sealed record DatasetSplit(
    [property: JsonPropertyName("seed")] int? Seed,
    [property: JsonPropertyName("train")] IReadOnlyList<string> Train,
    [property: JsonPropertyName("val")] IReadOnlyList<string> Val,
    [property: JsonPropertyName("test")] IReadOnlyList<string> Test)
{
    public const string FileName = "split.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Splits <paramref name="caseIds"/>. Seeded: ids are sorted (ordinal), shuffled by Fisher–Yates driven by
    /// SplitMix64 (our own generator, so the split never changes with the .NET version), then the first
    /// round(n·test) go to test, the next round(n·val) to val, the rest to train; each list is sorted.
    /// </summary>
    /// <exception cref="ArgumentException">Bad fractions, unknown or repeated explicit ids, or no training case left.</exception>
    public static DatasetSplit Create(IReadOnlyCollection<string> caseIds, SplitOptions options)
    {
        var ids = caseIds.Order(StringComparer.Ordinal).ToList();
        if (ids.Distinct().Count() != ids.Count) throw new ArgumentException("Case ids must be unique.");
        DatasetSplit split;
        if (options.Validation is not null || options.Test is not null)
        {
            var val = options.Validation ?? [];
            var test = options.Test ?? [];
            var known = ids.ToHashSet(StringComparer.Ordinal);
            foreach (string id in val.Concat(test))
                if (!known.Contains(id)) throw new ArgumentException($"Split: case '{id}' is not in the dataset.");
            var both = val.Concat(test).GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
            if (both is not null) throw new ArgumentException($"Split: case '{both.Key}' is listed more than once.");
            var held = val.Concat(test).ToHashSet(StringComparer.Ordinal);
            split = new DatasetSplit(null, ids.Where(i => !held.Contains(i)).ToList(), Sorted(val), Sorted(test));
        }
        else
        {
            double v = options.ValidationFraction, t = options.TestFraction;
            if (!(v >= 0 && t >= 0 && v + t < 1))
                throw new ArgumentException($"Split: validation fraction {v} and test fraction {t} must be ≥ 0 and sum to less than 1.");
            Shuffle(ids, options.Seed);
            int nTest = (int)Math.Round(ids.Count * t, MidpointRounding.AwayFromZero);
            int nVal = (int)Math.Round(ids.Count * v, MidpointRounding.AwayFromZero);
            split = new DatasetSplit(options.Seed, Sorted(ids.Skip(nTest + nVal)), Sorted(ids.Skip(nTest).Take(nVal)), Sorted(ids.Take(nTest)));
        }
        if (split.Train.Count == 0 && ids.Count > 0)
            throw new ArgumentException($"Split: no training case left out of {ids.Count}.");
        return split;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DatasetSplit FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetSplit>(json) ?? throw new JsonException("split.json is empty.");

    private static List<string> Sorted(IEnumerable<string> ids) => ids.Order(StringComparer.Ordinal).ToList();

    private static void Shuffle(List<string> items, int seed)
    {
        ulong state = (ulong)(uint)seed;
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014).</summary>
    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
