using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Live training progress for browsers' JS and other processes, one group per run. A client calls
/// <see cref="Subscribe"/> with the last step it has (0 for none), merges the returned history with the
/// <see cref="ProgressEvent"/> messages (<see cref="RunProgressMessage"/>) by step, and after a reconnect calls it again
/// with its newest step. Protocol: src/MedSeg.Web/Runs/README.md.
/// </summary>
[Authorize]
public sealed class RunsHub(TrainingRunService runs, RunLiveBuffer buffer) : Hub
{
    public const string Path = "/hubs/runs";
    public const string ProgressEvent = "progress";

    public static string GroupName(int runId) => $"run-{runId}";

    /// <summary>
    /// Joins the run's group, THEN reads its steps after <paramref name="afterStep"/> (buffer, then database), so every
    /// step is in the answer or in a later message. Null when the run does not exist or belongs to another lab.
    /// </summary>
    public async Task<RunSubscription?> Subscribe(int runId, long afterStep)
    {
        var user = PortalUser.From(Context.User!);
        if (await runs.FindAsync(user, runId, Context.ConnectionAborted) is null) return null;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(runId), Context.ConnectionAborted);
        var points = await buffer.HistoryAsync(runId, afterStep, Context.ConnectionAborted);
        var run = await runs.FindAsync(user, runId, Context.ConnectionAborted);
        return run is null ? null : RunSubscription.From(run, points, runs.LogTail(run));
    }

    public Task Unsubscribe(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(runId));
}
