using System.Globalization;
using System.Text;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Runs as CSV (invariant culture, RFC 4180 quoting), one row per run in the order given: the export of the run list, the
/// leaderboard and the API. A leaderboard export (<see cref="WriteRanked"/>) puts <c>rank</c> and the ranking metric's column
/// first, so a spreadsheet shows the standings without re-sorting.
/// </summary>
public static class RunCsv
{
    public const string Header =
        "id,name,method,model,status,owner,dataset,steps,total_steps,best_val_dice,final_val_dice,last_loss,device,created_utc,started_utc,finished_utc,tags";

    public static string Write(IEnumerable<TrainingRun> runs)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var r in runs) AppendRun(csv, r).Append('\n');
        return csv.ToString();
    }

    /// <summary>Leaderboard rows in the order given: <c>rank,&lt;scoreColumn&gt;,</c> then the <see cref="Header"/> columns.</summary>
    public static string WriteRanked(IEnumerable<LeaderboardEntry<TrainingRun>> entries, string scoreColumn)
    {
        var c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("rank,").Append(scoreColumn).Append(',').Append(Header).Append('\n');
        foreach (var e in entries)
            AppendRun(csv.Append(e.Rank.ToString(c)).Append(',').Append(e.Score.ToString("R", c)).Append(','), e.Run).Append('\n');
        return csv.ToString();
    }

    private static StringBuilder AppendRun(StringBuilder csv, TrainingRun r)
    {
        var c = CultureInfo.InvariantCulture;
        return csv.AppendJoin(',', [
            r.Id.ToString(c), Quote(r.Name), r.Method, Quote(r.ModelName), r.Status.ToString(), Quote(r.Owner?.Email ?? r.OwnerId),
            Quote(r.Dataset?.Name ?? (r.SpecJson is null ? "" : "on-the-fly AVS-DB")), r.CurrentStep.ToString(c), r.TotalSteps.ToString(c),
            r.BestValDice?.ToString("R", c) ?? "", r.FinalValDice?.ToString("R", c) ?? "", r.LastLoss?.ToString("R", c) ?? "",
            Quote(r.Device ?? ""), r.CreatedAt.ToString("O", c), r.StartedAt?.ToString("O", c) ?? "", r.FinishedAt?.ToString("O", c) ?? "",
            Quote(r.Tags ?? "")]);
    }

    /// <summary>
    /// One text cell: RFC 4180 quoting, and a cell a spreadsheet would run as a formula (starting with = + - @, tab or
    /// carriage return; OWASP's list) gets a leading apostrophe, so a run named <c>=HYPERLINK(…)</c> stays text.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
