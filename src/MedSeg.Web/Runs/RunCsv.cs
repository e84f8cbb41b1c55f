using System.Globalization;
using System.Text;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Runs;

/// <summary>Runs as CSV (invariant culture, RFC 4180 quoting), one row per run in the order given: the export of the run list, the leaderboard and the API.</summary>
public static class RunCsv
{
    public const string Header =
        "id,name,method,model,status,owner,dataset,steps,total_steps,best_val_dice,final_val_dice,last_loss,device,created_utc,started_utc,finished_utc,tags";

    public static string Write(IEnumerable<TrainingRun> runs)
    {
        var c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var r in runs)
        {
            csv.AppendJoin(',', [
                r.Id.ToString(c), Quote(r.Name), r.Method, Quote(r.ModelName), r.Status.ToString(), Quote(r.Owner?.Email ?? r.OwnerId),
                Quote(r.Dataset?.Name ?? (r.SpecJson is null ? "" : "on-the-fly AVS-DB")), r.CurrentStep.ToString(c), r.TotalSteps.ToString(c),
                r.BestValDice?.ToString("R", c) ?? "", r.FinalValDice?.ToString("R", c) ?? "", r.LastLoss?.ToString("R", c) ?? "",
                Quote(r.Device ?? ""), r.CreatedAt.ToString("O", c), r.StartedAt?.ToString("O", c) ?? "", r.FinishedAt?.ToString("O", c) ?? "",
                Quote(r.Tags ?? "")]);
            csv.Append('\n');
        }
        return csv.ToString();
    }

    public static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
