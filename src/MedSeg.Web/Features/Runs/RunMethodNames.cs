using MedSeg.Data.Entities;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// The method a run shows in the runs list, the compare view and the leaderboards: the catalogue's display name. FDSL rows
/// (stored as <see cref="TrainingMethods.Fdsl"/>) are the AVS-DB or the dataset-folder method by their data; a name the
/// catalogue does not know is shown as stored.
/// </summary>
public static class RunMethodNames
{
    public const string FineTuneDisplayName = "Fine-tuning (downstream)";

    public static string Display(TrainingRun run, MethodCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(catalog);
        return run.Method switch
        {
            TrainingMethods.Fdsl => (run.DatasetId is null ? (IPretrainingMethod)FdslAvsDbMethod.Instance : FdslDatasetMethod.Instance).DisplayName,
            TrainingMethods.FineTune => FineTuneDisplayName,
            var name => catalog.TryGet(name, out var method) ? method.DisplayName : name,
        };
    }
}
