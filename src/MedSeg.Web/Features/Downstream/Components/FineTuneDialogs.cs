using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;
using MudBlazor;

namespace MedSeg.Web.Features.Downstream.Components;

/// <summary>Opens the fine-tune settings dialog for a pretraining run (the run page's panel and its checkpoint browser).</summary>
public static class FineTuneDialogs
{
    /// <summary>
    /// The dialog prefilled from <see cref="Training.FineTune.FineTuneOptions"/> and the run's crop, starting from
    /// <paramref name="checkpoint"/> when one is named; the queued run, or null when cancelled.
    /// </summary>
    public static async Task<TrainingRun?> OpenAsync(IDialogService dialogs, TrainingRun run, PortalUser user, IReadOnlyList<string> datasets,
        DownstreamInit init, string? dataset, string? checkpoint = null)
    {
        var pretraining = TrainingConfig.Parse(run.ConfigJson).Options;
        var model = FineTuneFormModel.From(null, init, dataset, pretraining?.Crop, network: pretraining);
        model.Checkpoint = checkpoint;
        var parameters = new DialogParameters<FineTuneDialog>
        {
            { d => d.Run, run },
            { d => d.User, user },
            { d => d.Datasets, datasets },
            { d => d.Model, model },
        };
        var dialog = await dialogs.ShowAsync<FineTuneDialog>(null, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        return await dialog.Result is { Canceled: false, Data: TrainingRun queued } ? queued : null;
    }
}
