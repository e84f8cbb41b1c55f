using System.Text.Json.Nodes;
using MedSeg.Web.E2E.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E;

/// <summary>
/// A portal set up as a site is: the administrator from <c>Setup:AdminEmail</c>, registration by invitation only, no
/// trainer (queued runs stay queued). Its own portal process.
/// </summary>
public sealed class LabsPortalFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@site.test";
    public const string AdminPassword = "Adm1n-Passw0rd!";

    private readonly PortalFixture inner = new(new()
    {
        Settings =
        {
            ["Setup:AdminEmail"] = AdminEmail, ["Setup:AdminPassword"] = AdminPassword,
            ["Accounts:Registration"] = "InviteOnly", ["Accounts:FirstAccountBecomesPI"] = "false", ["Training:Enabled"] = "false",
        },
    });

    public PortalFixture Portal => inner;

    public Task InitializeAsync() => inner.InitializeAsync();

    public Task DisposeAsync() => inner.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LabsPortalCollection : ICollectionFixture<LabsPortalFixture>
{
    public const string Name = "labs e2e";
}

/// <summary>
/// The lab pages in a real browser: the site administrator creates a lab naming its PI (/labs); that PI registers from
/// the link, invites a viewer (link copied to the clipboard) and a member whose invitation they revoke (its link then
/// registers nobody); the viewer walks every list and detail page and sees no write button, where the PI sees them.
/// Personal API tokens (/tokens) are shown once, listed with expiry and revoked (the API then answers 401); the audit
/// log (/audit) filters by action and exports what it shows.
/// </summary>
[Collection(LabsPortalCollection.Name)]
public sealed class LabPagesTests(LabsPortalFixture labs, ITestOutputHelper output) : E2ETest(labs.Portal, output)
{
    /// <summary>Controls only members and PIs may use, by data-testid, wherever they appear.</summary>
    private static readonly string[] WriteButtons =
    [
        "nav-new-run", "nav-new-dataset", "home-new-run", "home-new-dataset", "new-dataset", "runs-new", "run-cancel", "run-pause",
        "run-resume", "run-clone", "downstream-import", "downstream-queue", "downstream-scratch", "dataset-cancel", "dataset-resume",
        "dataset-delete", "protocol-save", "benchmark-run", "nav-lab", "nav-audit", "nav-labs",
    ];

    [Fact]
    public Task Admin_starts_a_lab_its_PI_invites_and_revokes_and_the_viewer_sees_no_write_button() => RunAsync(async () =>
    {
        var admin = await NewPageAsync();
        await PortalPages.LoginAsync(admin, LabsPortalFixture.AdminEmail, LabsPortalFixture.AdminPassword);
        await admin.GotoAsync("/labs");
        await PortalPages.WaitInteractiveAsync(admin);
        await PortalPages.SetFieldAsync(admin, "new-lab-email", "pi@beta.test");
        await PortalPages.SetFieldAsync(admin, "new-lab-lab", "beta");
        await admin.GetByTestId("new-lab-submit").ClickAsync();
        var piLink = await admin.GetByTestId("new-lab-link").InnerTextAsync();
        await Expect(admin.GetByTestId("invitations").Locator("tr", new() { HasText = "pi@beta.test" })).ToContainTextAsync("Pending");

        var pi = await NewPageAsync();
        await RegisterFromLinkAsync(pi, piLink, "pi@beta.test");
        await pi.GotoAsync("/lab");
        await PortalPages.WaitInteractiveAsync(pi);
        await Expect(pi.GetByTestId("lab-id")).ToHaveTextAsync("beta");
        await Expect(pi.GetByTestId("members")).ToContainTextAsync("pi@beta.test");

        // A viewer, with the link copied to the clipboard as the PI would send it.
        await pi.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await PortalPages.SetFieldAsync(pi, "invite-email", "viewer@beta.test");
        await PortalPages.ChooseAsync(pi, "invite-role", "Viewer");
        await pi.GetByTestId("invite-submit").ClickAsync();
        var viewerLink = await pi.GetByTestId("invite-link").InnerTextAsync();
        await pi.GetByTestId("invite-copy").ClickAsync();
        // The copy is a round trip (click -> circuit -> navigator.clipboard.writeText): read after the portal says it is done.
        await Expect(pi.Locator(".mud-snackbar", new() { HasText = "Copied to the clipboard." })).ToBeVisibleAsync();
        Assert.Equal(viewerLink, await pi.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // A member invited by mistake: revoked, the link then registers nobody.
        await PortalPages.SetFieldAsync(pi, "invite-email", "gone@beta.test");
        await pi.GetByTestId("invite-submit").ClickAsync();
        await Expect(pi.GetByTestId("invite-link")).Not.ToHaveTextAsync(viewerLink);
        var goneLink = await pi.GetByTestId("invite-link").InnerTextAsync();
        var goneRow = pi.GetByTestId("invitations").Locator("tr", new() { HasText = "gone@beta.test" });
        await Expect(goneRow.GetByTestId("invitation-expires")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d$"));
        await pi.GetByTestId("invitation-revoke-gone@beta.test").ClickAsync();
        await Expect(goneRow.GetByTestId("invitation-state")).ToHaveTextAsync("Revoked");
        var stranger = await NewPageAsync();
        await stranger.GotoAsync(new Uri(goneLink).PathAndQuery);
        await Expect(stranger.GetByTestId("register-closed")).ToContainTextAsync("carries no valid invitation");

        var viewer = await NewPageAsync();
        await RegisterFromLinkAsync(viewer, viewerLink, "viewer@beta.test");
        await Expect(viewer.GetByTestId("current-role")).ToHaveTextAsync("Viewer");
        var runId = await QueueRunAsync(pi);

        string[] pages = ["/", "/datasets", "/runs", $"/runs/{runId}", "/runs/leaderboard", "/runs/downstream", "/benchmarks", "/tokens"];
        foreach (var path in pages)
        {
            await viewer.GotoAsync(path);
            await PortalPages.WaitInteractiveAsync(viewer);
            await Expect(viewer.GetByTestId("nav-runs")).ToBeVisibleAsync();
            foreach (var id in WriteButtons)
                Assert.True(await viewer.GetByTestId(id).CountAsync() == 0, $"A viewer sees '{id}' on {path}.");
        }
        // The same run page offers the PI what the viewer does not see: the check above can fail.
        await pi.GotoAsync($"/runs/{runId}");
        await PortalPages.WaitInteractiveAsync(pi);
        await Expect(pi.GetByTestId("run-cancel")).ToBeVisibleAsync();
        await Expect(pi.GetByTestId("nav-new-run")).ToBeVisibleAsync();
        // Forms a viewer cannot submit are not theirs to open.
        await viewer.GotoAsync("/runs/new");
        await viewer.WaitForURLAsync(url => url.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase));
    });

    [Fact]
    public Task Tokens_are_shown_once_listed_with_expiry_and_revoked_and_the_audit_log_filters_and_exports() => RunAsync(async () =>
    {
        var admin = await NewPageAsync();
        await PortalPages.LoginAsync(admin, LabsPortalFixture.AdminEmail, LabsPortalFixture.AdminPassword);
        await admin.GotoAsync("/tokens");
        await PortalPages.WaitInteractiveAsync(admin);
        await PortalPages.SetFieldAsync(admin, "token-name", "ci-script");
        await PortalPages.SetFieldAsync(admin, "token-days", "7");
        await admin.GetByTestId("token-create").ClickAsync();
        var token = await admin.GetByTestId("token-secret").InnerTextAsync();
        Assert.StartsWith("medseg_", token);
        var row = admin.GetByTestId("tokens").Locator("tr", new() { HasText = "ci-script" });
        await Expect(row.GetByTestId("token-row-state")).ToHaveTextAsync("Active");
        await Expect(row.GetByTestId("token-row-expires")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{DateTime.UtcNow.AddDays(7):yyyy-MM-dd}"));
        Assert.Equal(200, (await ApiAsync(admin, token)).Status);

        await admin.GetByTestId("token-revoke-ci-script").ClickAsync();
        await Expect(row.GetByTestId("token-row-state")).ToHaveTextAsync("Revoked");
        Assert.Equal(401, (await ApiAsync(admin, token)).Status);
        await admin.ReloadAsync();
        await PortalPages.WaitInteractiveAsync(admin);
        await Expect(admin.GetByTestId("token-secret")).ToHaveCountAsync(0); // shown once

        await admin.GotoAsync("/audit");
        await PortalPages.WaitInteractiveAsync(admin);
        await admin.GetByTestId("audit-action").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^token.revoke$") }).ClickAsync();
        // One revocation in the whole site's log: the filtered table holds exactly it.
        await Expect(admin.GetByTestId("audit-row-action")).ToHaveTextAsync(["token.revoke"]);
        var export = await admin.GetByTestId("audit-export").GetAttributeAsync("href");
        Assert.Contains("action=token.revoke", export);
        var csv = await (await admin.APIRequest.GetAsync("/" + export!.TrimStart('/'))).TextAsync();
        Assert.StartsWith("at_utc,user,lab,action,detail", csv);
        Assert.Contains("token.revoke", csv);
        Assert.DoesNotContain("token.create", csv);
    });

    private static async Task RegisterFromLinkAsync(IPage page, string link, string email)
    {
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.GetByTestId("register-email").FillAsync(email);
        await page.GetByTestId("register-password").FillAsync(PortalPages.Password);
        await page.GetByTestId("register-confirm-password").FillAsync(PortalPages.Password);
        await page.GetByTestId("register-submit").ClickAsync();
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(email, new() { Timeout = 30_000 });
    }

    private static Task<IAPIResponse> ApiAsync(IPage page, string token) =>
        page.Context.Browser!.NewContextAsync().ContinueWith(async c =>
        {
            var context = await c;
            try
            {
                var baseUrl = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
                return await context.APIRequest.GetAsync($"{baseUrl}/api/tokens", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" } });
            }
            finally { await context.CloseAsync(); }
        }).Unwrap();

    private static async Task<int> QueueRunAsync(IPage page)
    {
        var body = new JsonObject
        {
            ["name"] = "queued for the viewer",
            ["config"] = JsonNode.Parse("""
                {"model":"BasicUNet","modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"samples":4,
                 "steps":4,"checkpointEvery":4,"keepLast":1,"validationEvery":0,"loaderWorkers":1,"prefetch":2,"torchThreads":1,
                 "learningRate":0.001,"device":"cpu","seed":1}
                """),
            ["spec"] = JsonNode.Parse("""{"volumeSize":64,"shapesPerVolume":4}"""),
        };
        return await PortalPages.PostRunAsync(page, body.ToJsonString());
    }
}
