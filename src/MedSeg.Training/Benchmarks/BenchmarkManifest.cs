using System.Text.Json;
using MedSeg.Training.Runs;
using MedSeg.Core.IO;

namespace MedSeg.Training.Benchmarks;

/// <summary>
/// benchmark.json of a benchmark folder: the protocol (dataset folders absolute) and the methods, as the union of every
/// `benchmark run` into the folder — a later run may add datasets, budgets, seeds and methods, never change the recipe.
/// </summary>
public sealed record BenchmarkManifest(BenchmarkProtocol Protocol, IReadOnlyList<BenchmarkMethod> Methods)
{
    public const string FileName = "benchmark.json";

    private static readonly JsonSerializerOptions Json = BenchmarkProtocol.Json;

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static BenchmarkManifest? TryRead(string folder)
    {
        var path = PathIn(folder);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BenchmarkManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a valid {FileName}: {e.Message}", e); }
    }

    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(this, Json));
    }

    /// <summary>
    /// This manifest with <paramref name="protocol"/>'s datasets, budgets and seeds and <paramref name="methods"/> added.
    /// The recipe (name, version, fine-tune options, metrics) must be the same, and a method key must keep its init.
    /// </summary>
    public BenchmarkManifest Merge(BenchmarkProtocol protocol, IReadOnlyList<BenchmarkMethod> methods, string folder)
    {
        if (protocol.RecipeKey() != Protocol.RecipeKey())
            throw new ArgumentException(
                $"'{PathIn(folder)}' was run with protocol '{Protocol.Name}' v{Protocol.Version} and another fine-tune recipe or metrics; " +
                "adding datasets, budgets, seeds or methods is allowed, changing the recipe needs a new --out folder or protocol name.");
        var merged = new List<BenchmarkMethod>(Methods);
        foreach (var m in methods)
        {
            var existing = merged.FirstOrDefault(x => x.Key == m.Key);
            if (existing is null) merged.Add(m);
            else if (existing.Init != m.Init)
                throw new ArgumentException($"--pretrained: method key '{m.Key}' is already used in '{PathIn(folder)}' for {existing.Init}, not {m.Init}; rename the run folder.");
        }
        var p = BenchmarkProtocol.FromJson(Protocol.ToJson());
        p.Version = Math.Max(p.Version, protocol.Version);
        foreach (var d in protocol.Datasets)
        {
            var name = BenchmarkProtocol.DatasetName(d);
            var same = p.Datasets.FirstOrDefault(x => BenchmarkProtocol.DatasetName(x) == name);
            if (same is null) p.Datasets.Add(d);
            else if (Path.GetFullPath(same) != Path.GetFullPath(d))
                throw new ArgumentException($"Protocol.datasets: '{d}' has the name '{name}' of '{same}' already in this benchmark folder.");
        }
        p.Budgets = p.Budgets.Union(protocol.Budgets).Order().ToList();
        p.Seeds = p.Seeds.Union(protocol.Seeds).Order().ToList();
        return new BenchmarkManifest(p, merged);
    }
}
