using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg portal submit|watch`: queue a run on a running portal and follow it, authenticated with a personal API token
/// (<c>--token</c> or <c>$MEDSEG_TOKEN</c>; create one on the portal with <c>POST /api/tokens</c>). Exit 0 when the run
/// completes, 1 when it fails, is cancelled or the portal refuses (an expired or revoked token: 401, named).
/// </summary>
public static class PortalCommands
{
    public const string TokenVariable = "MEDSEG_TOKEN";

    public static Command Create()
    {
        var portal = new Command("portal", "Work with a running MedSeg portal over its HTTP API, with a personal API token.");
        portal.Add(CreateSubmit());
        portal.Add(CreateWatch());
        return portal;
    }

    private static Option<string> UrlOption() => new("--url") { Description = "The portal's address, e.g. https://medseg.lab.example.", Required = true };

    private static Option<string?> TokenOption() => new("--token") { Description = $"Personal API token (default: ${TokenVariable})." };

    private static Command CreateSubmit()
    {
        var url = UrlOption();
        var token = TokenOption();
        var name = new Option<string>("--name") { Description = "Run name.", Required = true };
        var config = new Option<string>("--config") { Description = "Training options JSON file (FdslOptions, camelCase).", Required = true };
        var spec = new Option<string?>("--spec") { Description = "AVS-DB spec JSON file: samples generated on the fly." };
        var dataset = new Option<int?>("--dataset-id") { Description = "A completed dataset of your lab instead of --spec." };
        var follow = new Option<bool>("--follow") { Description = "Print progress until the run ends; exit code from its outcome." };
        var command = new Command("submit", "Queue a training run on the portal (and follow it with --follow).") { url, token, name, config, spec, dataset, follow };
        command.SetAction(async (r, ct) =>
        {
            var config2 = r.InvocationConfiguration;
            try
            {
                using var client = Client(r.GetRequiredValue(url), r.GetValue(token));
                var body = new JsonObject
                {
                    ["name"] = r.GetRequiredValue(name),
                    ["config"] = JsonNode.Parse(await File.ReadAllTextAsync(r.GetRequiredValue(config), ct)),
                    ["datasetId"] = r.GetValue(dataset),
                    ["spec"] = r.GetValue(spec) is { } s ? JsonNode.Parse(await File.ReadAllTextAsync(s, ct)) : null,
                };
                var response = await client.PostAsJsonAsync("api/runs", body, ct);
                await EnsureAsync(response, ct);
                var run = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                var id = run.GetProperty("id").GetInt32();
                config2.Output.WriteLine($"queued run {id}");
                return r.GetValue(follow) ? await FollowAsync(client, id, config2.Output, ct) : 0;
            }
            catch (Exception e) when (e is PortalException or HttpRequestException or IOException or JsonException)
            {
                config2.Error.WriteLine($"error: {e.Message}");
                return CommandFailures.ExitFailure;
            }
        });
        return command;
    }

    private static Command CreateWatch()
    {
        var url = UrlOption();
        var token = TokenOption();
        var run = new Option<int>("--run") { Description = "The run's id.", Required = true };
        var command = new Command("watch", "Print a run's progress until it ends; exit code from its outcome.") { url, token, run };
        command.SetAction(async (r, ct) =>
        {
            try
            {
                using var client = Client(r.GetRequiredValue(url), r.GetValue(token));
                return await FollowAsync(client, r.GetValue(run), r.InvocationConfiguration.Output, ct);
            }
            catch (Exception e) when (e is PortalException or HttpRequestException or IOException or JsonException)
            {
                r.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return CommandFailures.ExitFailure;
            }
        });
        return command;
    }

    /// <summary>Polls the run once a second, printing a line whenever its status or step changes.</summary>
    private static async Task<int> FollowAsync(HttpClient client, int id, TextWriter output, CancellationToken ct)
    {
        string? last = null;
        while (true)
        {
            var response = await client.GetAsync($"api/runs/{id}", ct);
            await EnsureAsync(response, ct);
            var run = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var status = run.GetProperty("status").ToString();
            var loss = run.GetProperty("lastLoss") is { ValueKind: JsonValueKind.Number } l ? l.GetDouble().ToString("G4", CultureInfo.InvariantCulture) : "-";
            var line = $"run {id} {status} step {run.GetProperty("currentStep")}/{run.GetProperty("totalSteps")} loss {loss}";
            if (line != last) output.WriteLine(line);
            last = line;
            switch (status)
            {
                case "Completed": return 0;
                case "Failed" or "Cancelled":
                    output.WriteLine($"run {id} {status}: {run.GetProperty("errorText")}");
                    return CommandFailures.ExitFailure;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static HttpClient Client(string url, string? token)
    {
        token ??= Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token)) throw new PortalException($"no API token: pass --token or set ${TokenVariable}.");
        var client = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return client;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var why = response.Headers.WwwAuthenticate.FirstOrDefault()?.Parameter ?? "";
            throw new PortalException($"the portal refused the token (401 Unauthorized{(why.Length > 0 ? $": {why}" : "")}); create a new one.");
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        throw new PortalException($"{(int)response.StatusCode} {response.StatusCode}: {(text.Length > 2000 ? text[..2000] : text)}");
    }

    private sealed class PortalException(string message) : Exception(message);
}
