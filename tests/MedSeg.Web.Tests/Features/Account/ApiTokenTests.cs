using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Cli;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using MedSeg.Web.Features.Account;
using MedSeg.Testing;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Account;

/// <summary>
/// Personal API tokens: the CLI submits a tiny run to a running portal (a real process) with a token and follows it to
/// the end; a revoked or expired token gets 401 naming why; a token never opens a page and cannot mint tokens.
/// </summary>
public sealed class ApiTokenTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cli_SubmitsAndFollowsATinyRun_WithAToken_AndRevokedOrExpiredTokensGet401()
    {
        using var temp = new TempDirectory("medseg-tokens");
        using var portal = TestPortalProcess.Create(temp.Path);
        await portal.StartAsync();
        var account = await TestAccounts.RegisterAsync(portal.CreateClient(), "pi@tokens.test");
        using var cookie = portal.CreateClient(account.CookieHeader);
        var token = await CreateTokenAsync(cookie, "cli");
        var config = Path.Combine(temp.Path, "config.json");
        var spec = Path.Combine(temp.Path, "spec.json");
        await File.WriteAllTextAsync(config, RunTestHelpers.TinyConfig(4, checkpointEvery: 2));
        await File.WriteAllTextAsync(spec, RunTestHelpers.TinySpecJson());
        var url = portal.BaseAddress.ToString();

        var (code, stdout, stderr) = await CliAsync("portal", "submit", "--url", url, "--token", token.Token, "--name", "from the cli",
            "--config", config, "--spec", spec, "--follow");
        output.WriteLine(stdout);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}\n{portal.Output}");
        Assert.Matches(@"queued run \d+", stdout);
        Assert.Contains("Completed step 4/4", stdout);
        var runId = int.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"queued run (\d+)").Groups[1].Value);

        // Revoked: refused at once, and the CLI says why.
        Assert.Equal(HttpStatusCode.NoContent, (await cookie.DeleteAsync($"/api/tokens/{token.Info.Id}")).StatusCode);
        (code, _, stderr) = await CliAsync("portal", "watch", "--url", url, "--token", token.Token, "--run", runId.ToString());
        Assert.Equal(1, code);
        Assert.Contains("401", stderr);
        Assert.Contains("token revoked", stderr);

        // Expired: the stored expiry moved into the past.
        var old = await CreateTokenAsync(cookie, "old");
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(temp.Path, "portal.db")}"))
        {
            await db.OpenAsync();
            var update = db.CreateCommand();
            update.CommandText = "UPDATE AspNetUserTokens SET Value = json_set(Value, '$.ExpiresAt', '2000-01-01T00:00:00Z') WHERE Name = $id";
            update.Parameters.AddWithValue("$id", old.Info.Id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        (code, _, stderr) = await CliAsync("portal", "watch", "--url", url, "--token", old.Token, "--run", runId.ToString());
        Assert.Equal(1, code);
        Assert.Contains("token expired", stderr);

        // A token is for /api only: pages do not accept it, and it cannot create tokens.
        var fresh = await CreateTokenAsync(cookie, "pages");
        using var bearer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = portal.BaseAddress };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fresh.Token);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"api/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bearer.GetAsync("runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.PostAsJsonAsync("api/tokens", new { name = "minted" })).StatusCode);
        var listed = await cookie.GetStringAsync("api/tokens");
        Assert.DoesNotContain(fresh.Token, listed); // the secret is shown once, never listed
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(temp.Path, "portal.db")}"))
        {
            await db.OpenAsync();
            var select = db.CreateCommand();
            select.CommandText = "SELECT Value FROM AspNetUserTokens WHERE Name = $id";
            select.Parameters.AddWithValue("$id", fresh.Info.Id);
            var stored = (string)(await select.ExecuteScalarAsync())!;
            Assert.DoesNotContain(fresh.Token[("medseg_".Length + 13)..], stored); // only its hash is at rest
            Assert.Contains("Hash", stored);
        }
    }

    internal static async Task<TokenApi.Created> CreateTokenAsync(HttpClient cookieClient, string name)
    {
        var response = await cookieClient.PostAsJsonAsync("api/tokens", new { name, days = 7 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TokenApi.Created>())!;
    }

    private static async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // a run that never ends fails the test, not the suite
        var code = await MedSegCommand.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr }, timeout.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
