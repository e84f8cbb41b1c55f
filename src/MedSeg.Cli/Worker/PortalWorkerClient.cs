using System.Net;
using System.Net.Http.Json;
using MedSeg.Training.Worker;

namespace MedSeg.Cli.Worker;

/// <summary>
/// The worker's side of the portal's worker API (<c>/api/worker/runs/{id}/…</c>) with the run's token. A 401 (token
/// revoked, or the run no longer held by this job) throws <see cref="WorkerTokenRevokedException"/>; other failures
/// (portal restarting, network) throw <see cref="HttpRequestException"/> so callers may retry.
/// </summary>
internal sealed class PortalWorkerClient : IDisposable
{
    private readonly HttpClient http;
    private readonly int runId;

    public PortalWorkerClient(string portalUrl, string token, int runId)
    {
        this.runId = runId;
        http = new HttpClient { BaseAddress = new Uri(portalUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add(WorkerProtocol.TokenHeader, token);
    }

    public Task<WorkerLaunch> StartAsync(WorkerStart start, CancellationToken ct) => PostAsync<WorkerStart, WorkerLaunch>("start", start, ct);

    public Task<WorkerControl> StepsAsync(IReadOnlyList<WorkerStep> steps, CancellationToken ct) =>
        PostAsync<IReadOnlyList<WorkerStep>, WorkerControl>("steps", steps, ct);

    public Task<WorkerControl> FinishAsync(WorkerFinish finish, CancellationToken ct) => PostAsync<WorkerFinish, WorkerControl>("finish", finish, ct);

    private async Task<TResult> PostAsync<TBody, TResult>(string action, TBody body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"api/worker/runs/{runId}/{action}", body, WorkerProtocol.Json, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new WorkerTokenRevokedException($"the portal refused this worker's token for run {runId} ({(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)})");
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            // 4xx other than auth: the request itself is wrong, retrying will not help.
            if ((int)response.StatusCode is >= 400 and < 500) throw new InvalidOperationException($"{action}: {(int)response.StatusCode} {text}");
            throw new HttpRequestException($"{action}: {(int)response.StatusCode} {text}");
        }
        return await response.Content.ReadFromJsonAsync<TResult>(WorkerProtocol.Json, ct)
            ?? throw new HttpRequestException($"{action}: empty answer");
    }

    public void Dispose() => http.Dispose();
}

/// <summary>The portal no longer accepts this worker (token revoked, run finished or taken back).</summary>
internal sealed class WorkerTokenRevokedException(string message) : Exception(message);
