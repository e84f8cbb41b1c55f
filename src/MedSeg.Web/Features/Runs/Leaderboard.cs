namespace MedSeg.Web.Features.Runs;

/// <summary>What the leaderboard ranks runs by.</summary>
public enum LeaderboardMetric
{
    /// <summary>Best mean foreground validation Dice seen during the run.</summary>
    BestValidationDice,
    /// <summary>Mean foreground validation Dice of the last validation.</summary>
    LastValidationDice,
    /// <summary>Last training loss (smaller is better).</summary>
    LastLoss,
}

/// <summary>A ranked run: competition ranking (1, 1, 3) on equal scores.</summary>
public sealed record LeaderboardEntry<T>(int Rank, double Score, T Run);

public static class Leaderboard
{
    public static bool HigherIsBetter(LeaderboardMetric metric) => metric != LeaderboardMetric.LastLoss;

    public static string Describe(LeaderboardMetric metric) => metric switch
    {
        LeaderboardMetric.BestValidationDice => "Validation Dice (best)",
        LeaderboardMetric.LastValidationDice => "Validation Dice (last)",
        LeaderboardMetric.LastLoss => "Training loss (last)",
        _ => metric.ToString(),
    };

    /// <summary>The metric's column in the run CSV (the score column of a leaderboard export carries the same name).</summary>
    public static string ColumnName(LeaderboardMetric metric) => metric switch
    {
        LeaderboardMetric.BestValidationDice => "best_val_dice",
        LeaderboardMetric.LastValidationDice => "final_val_dice",
        LeaderboardMetric.LastLoss => "last_loss",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown leaderboard metric."),
    };

    /// <summary>The metric whose <see cref="ColumnName"/> is <paramref name="column"/> (case-insensitive).</summary>
    public static bool TryParseColumn(string? column, out LeaderboardMetric metric)
    {
        foreach (var m in Enum.GetValues<LeaderboardMetric>())
            if (string.Equals(ColumnName(m), column?.Trim(), StringComparison.OrdinalIgnoreCase)) { metric = m; return true; }
        metric = default;
        return false;
    }

    /// <summary>A run's score under <paramref name="metric"/> (null when it has none).</summary>
    public static double? Score(MedSeg.Data.Entities.TrainingRun run, LeaderboardMetric metric) => metric switch
    {
        LeaderboardMetric.BestValidationDice => run.BestValDice,
        LeaderboardMetric.LastValidationDice => run.FinalValDice,
        _ => run.LastLoss,
    };

    /// <summary>
    /// Runs with a finite score, best first; runs without one (never validated, NaN) are left out. Ties keep the
    /// order of <paramref name="runs"/> (pass them oldest first and the earlier run wins the tie's display order).
    /// </summary>
    public static IReadOnlyList<LeaderboardEntry<T>> Rank<T>(IEnumerable<T> runs, Func<T, double?> score, bool higherIsBetter)
    {
        var scored = runs.Select(r => (Run: r, Score: score(r))).Where(x => x.Score is { } s && double.IsFinite(s))
            .Select(x => (x.Run, Score: x.Score!.Value));
        var ordered = (higherIsBetter ? scored.OrderByDescending(x => x.Score) : scored.OrderBy(x => x.Score)).ToList();
        var result = new List<LeaderboardEntry<T>>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Score == ordered[i - 1].Score ? result[i - 1].Rank : i + 1;
            result.Add(new LeaderboardEntry<T>(rank, ordered[i].Score, ordered[i].Run));
        }
        return result;
    }
}
