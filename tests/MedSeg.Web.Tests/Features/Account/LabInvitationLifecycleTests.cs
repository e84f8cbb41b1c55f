using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Account;

/// <summary>
/// Invitations are stored: the PI lists them with their expiry, revokes one (its link then registers nobody), and an
/// accepted one shows as accepted and cannot be used again. The audit log records both and filters by action.
/// </summary>
public sealed class LabInvitationLifecycleTests : IAsyncLifetime
{
    private readonly LabsPortalFactory factory = new();
    private SignedInUser admin = default!;

    public async Task InitializeAsync()
    {
        var (_, signedIn) = await TestAccounts.SignInAsync(TwoLabs.NewClient(factory), LabsPortalFactory.AdminEmail, LabsPortalFactory.AdminPassword);
        admin = signedIn!;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private sealed record Listed(string Id, string Email, string LabId, string Role, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? AcceptedAt);

    [Fact]
    public async Task Revoked_LinkRegistersNobody_Accepted_IsMarkedAndSingleUse_ListShowsExpiry()
    {
        using var client = admin.CreateClient(factory);
        var revoked = await InviteAsync(client, "revoked@default.test");
        var kept = await InviteAsync(client, "kept@default.test");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/lab/invitations/{revoked.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/lab/invitations/000000000000")).StatusCode);
        var page = await TwoLabs.NewClient(factory).GetStringAsync(new Uri(revoked.Link).PathAndQuery);
        Assert.Contains("data-testid=\"register-closed\"", page);
        await TestAccounts.RegisterInvitedAsync(factory, "kept@default.test", kept.Link);
        var again = await TwoLabs.NewClient(factory).GetStringAsync(new Uri(kept.Link).PathAndQuery);
        Assert.Contains("data-testid=\"register-closed\"", again);

        var list = (await client.GetFromJsonAsync<List<Listed>>("/api/lab/invitations", JsonSerializerOptions.Web))!;
        var r = Assert.Single(list, i => i.Email == "revoked@default.test");
        var k = Assert.Single(list, i => i.Email == "kept@default.test");
        Assert.NotNull(r.RevokedAt);
        Assert.Null(r.AcceptedAt);
        Assert.NotNull(k.AcceptedAt);
        Assert.Null(k.RevokedAt);
        Assert.InRange(k.ExpiresAt, DateTime.UtcNow.AddDays(7).AddMinutes(-5), DateTime.UtcNow.AddDays(7).AddMinutes(5)); // Accounts:InvitationLifetime

        var revocations = await client.GetStringAsync("/api/audit?action=invite.revoke");
        Assert.Contains(revoked.Id, revocations);
        Assert.DoesNotContain("\"invite\"", revocations);
        var csv = await client.GetStringAsync("/api/audit/export.csv?action=invite&text=kept");
        Assert.Equal(2, csv.Trim().Split('\n').Length); // header + the one invitation of kept@
    }

    private static async Task<LabApi.InvitationLink> InviteAsync(HttpClient client, string email)
    {
        var response = await client.PostAsJsonAsync("/api/lab/invitations", new { email, role = "Member" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LabApi.InvitationLink>())!;
    }
}
