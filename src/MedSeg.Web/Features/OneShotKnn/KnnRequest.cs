using MedSeg.Training.Evaluation.OneShot;

namespace MedSeg.Web.Features.OneShotKnn;

/// <summary>
/// What "One-shot kNN" asks for: a downstream dataset of the lab ("downstream/NAME"), the labelled atlases n (1..9) and
/// the seed of their choice, and the protocol ("paper", the default, or "dense"). Body of <c>POST /api/runs/{id}/knn</c>.
/// </summary>
public sealed record KnnRequest(string? Dataset, int Atlases = 1, long Seed = 0, string? Protocol = "paper")
{
    /// <summary>Largest seed accepted (every number a user can type has an upper bound).</summary>
    public const long MaxSeed = int.MaxValue;

    /// <summary>The protocol, or null when the text names none.</summary>
    public KnnProtocol? ParsedProtocol => (Protocol ?? "paper").Trim().ToLowerInvariant() switch
    {
        "paper" => KnnProtocol.Paper,
        "dense" => KnnProtocol.Dense,
        _ => null,
    };

    /// <summary>Problems that need no file system: atlases, seed, protocol; each names the field, value and limit.</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(Dataset)) p.Add("Dataset: choose a downstream dataset of your lab.");
        if (Atlases is < 1 or > OneShotKnnOptions.MaxAtlases) p.Add($"Atlases must be 1 to {OneShotKnnOptions.MaxAtlases} (got {Atlases}).");
        if (Seed is < 0 or > MaxSeed) p.Add($"Seed must be 0 to {MaxSeed:N0} (got {Seed}).");
        if (ParsedProtocol is null) p.Add($"Protocol must be paper or dense (got '{Protocol}').");
        return p;
    }
}
