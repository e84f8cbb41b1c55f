using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Live dataset generation progress for browsers' JS and other processes. A client calls
/// <see cref="Subscribe"/> with a dataset id and then receives <see cref="ProgressEvent"/> messages
/// (<see cref="DatasetProgress"/>, camelCase JSON) for that dataset.
/// </summary>
[Authorize]
public sealed class DatasetsHub(DatasetService datasets) : Hub
{
    public const string Path = "/hubs/datasets";
    public const string ProgressEvent = "progress";

    public static string GroupName(int datasetId) => $"dataset-{datasetId}";

    /// <summary>Joins the dataset's group and returns its current state (null when it does not exist or is another lab's).</summary>
    public async Task<DatasetProgress?> Subscribe(int datasetId)
    {
        var dataset = await datasets.FindAsync(PortalUser.From(Context.User!), datasetId, Context.ConnectionAborted);
        if (dataset is null) return null;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(datasetId), Context.ConnectionAborted);
        return DatasetProgress.FromRow(dataset);
    }

    public Task Unsubscribe(int datasetId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(datasetId));
}
