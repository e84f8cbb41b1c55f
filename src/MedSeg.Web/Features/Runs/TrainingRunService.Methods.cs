using MedSeg.Data.Entities;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Runs;

/// <summary>Runs of the catalogue's methods (Volume Fusion, LWI, Swin SSL, context, Doersch, …): request checks and clone.</summary>
public sealed partial class TrainingRunService
{
    /// <summary>
    /// Checks a request for a catalogue method: the method, its options (<see cref="MethodRunConfig.Parse"/>: the record's
    /// <c>Problems()</c> and the server's limits) and its data, a completed dataset of the lab or an imported downstream
    /// dataset of the lab, a plain folder of NIfTI images under unlabelled/ (<see cref="UnlabelledFolders"/>), or none,
    /// where the options bring their own (e.g. VolF's phantom sources).
    /// </summary>
    private async Task<(MethodRunConfig.Entry? Entry, IReadOnlyList<string> Errors)> CheckMethodAsync(PortalUser user,
        TrainingRunRequest request, CancellationToken ct)
    {
        var errors = new List<string>();
        if (request.SpecJson is not null)
            errors.Add($"SpecJson: an on-the-fly AVS-DB spec is for FDSL runs only; method '{request.Method}' reads a dataset.");
        string? folder = null;
        switch (request.DatasetId, request.Downstream)
        {
            case (not null, not null):
                errors.Add("Data: choose either a stored dataset (DatasetId) or a downstream dataset (Downstream), not both.");
                break;
            case (int datasetId, null):
                if (await TrainableDatasetAsync(user, datasetId, errors, ct) is { } dataset) folder = paths.DatasetDirectory(dataset);
                break;
            case (null, string unlabelled) when UnlabelledFolders.Names(unlabelled):
                (folder, var problem) = new UnlabelledFolders(paths).Check(unlabelled, user.LabId);
                if (problem is not null) errors.Add(problem);
                break;
            case (null, string downstream):
                folder = new DownstreamDatasets(paths).Resolve(downstream, user.LabId);
                if (folder is null)
                    errors.Add($"Downstream: '{downstream}' is not a dataset of your lab under '{DownstreamDatasets.Folder}/' with dataset.json and split.json.");
                break;
        }
        if (errors.Count > 0) return (null, errors);
        var (entry, problems) = MethodRunConfig.Parse(catalog, request.Method!, request.ConfigJson, folder, request.Downstream, limits.Value);
        return (entry, problems);
    }

    /// <summary>A clone of a catalogue-method run: the stored options and data as they are, today's limits applied.</summary>
    private async Task<TrainingRun> CloneMethodRunAsync(PortalUser user, TrainingRun original, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? $"{original.Name} (clone)" : name.Trim();
        if (NameRule.Problem(name) is { } bad) throw new ArgumentException(bad, nameof(name));
        if (!catalog.TryGet(original.Method, out _))
            throw new ArgumentException($"Method: run {original.Id} was trained with '{original.Method}', which this portal does not offer.", nameof(original));
        if (RunLimits.Check(System.Text.Json.Nodes.JsonNode.Parse(original.ConfigJson)!.AsObject(), limits.Value) is { Count: > 0 } over)
            throw new ArgumentException(string.Join(" ", over), nameof(original));
        return await InsertAsync(user, name, original.Method, original.ModelName, original.ConfigJson, original.TotalSteps,
            original.DatasetId, null, original.Tags, 0, original.Id, ct, (original.Backend, original.ClusterRequestJson));
    }

    /// <summary>
    /// "Initialise with LWI, then train" on a labelled downstream dataset: the LWI stage on its images (options from
    /// <paramref name="lwiConfigJson"/>, the paper's defaults when null) and the supervised fine-tune on the same dataset
    /// from the LWI network (whole network: the layers whose shapes match load, the rest is reported), created Paused and
    /// queued when the LWI run completes (<see cref="RunFollowUps"/>). The downstream leaderboard shows the second with
    /// "LWI" as its pretraining. Problems of either come back as one <see cref="ArgumentException"/>; a refused fine-tune
    /// cancels the LWI run it would have followed.
    /// </summary>
    public async Task<(TrainingRun Lwi, TrainingRun FineTune)> QueueLwiThenFineTuneAsync(PortalUser user, string datasetPath,
        string? lwiConfigJson = null, Training.FineTune.FineTuneOptions? template = null, CancellationToken ct = default)
    {
        var request = new TrainingRunRequest($"LWI on {Path.GetFileName(datasetPath)}", lwiConfigJson ?? "{}", Tags: "lwi-init",
            Method: "lwi", Downstream: datasetPath);
        var (lwi, errors) = await TryCreateAsync(user, request, ct);
        if (lwi is null) throw new ArgumentException(string.Join(" ", errors), nameof(lwiConfigJson));
        try
        {
            return (lwi, await QueueDownstreamAsync(lwi.Id, datasetPath, false, user, template, ct: ct, waitForPretraining: true));
        }
        catch (ArgumentException)
        {
            await CancelAsync(user, lwi.Id, ct);
            throw;
        }
    }
}
