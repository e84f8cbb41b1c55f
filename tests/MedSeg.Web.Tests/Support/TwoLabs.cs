using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MedSeg.Web.Features.Account;

namespace MedSeg.Web.Tests.Support;

/// <summary>
/// A portal set up as a site would be: the administrator from <c>Setup:AdminEmail</c>, registration by invitation only,
/// no trainer (rows stay as the API leaves them). Nobody can become PI by registering first.
/// </summary>
public class LabsPortalFactory : PortalFactory
{
    public const string AdminEmail = "admin@site.test";
    public const string AdminPassword = "Adm1n-Passw0rd!";

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Training:Enabled", "false");
        builder.UseSetting("Accounts:Registration", "InviteOnly");
        builder.UseSetting("Accounts:FirstAccountBecomesPI", "false");
        builder.UseSetting("Setup:AdminEmail", AdminEmail);
        builder.UseSetting("Setup:AdminPassword", AdminPassword);
    }
}

/// <summary>
/// Two labs on one portal, every account made the way a site makes them: the site administrator (PI of the first lab,
/// "default") invites lab alpha's PI and lab beta's PI; alpha's PI invites a member and a viewer.
/// </summary>
public sealed record TwoLabs(SignedInUser Admin, SignedInUser AlphaPI, SignedInUser AlphaMember, SignedInUser AlphaViewer, SignedInUser BetaPI)
{
    public static async Task<TwoLabs> CreateAsync(LabsPortalFactory factory)
    {
        var (_, admin) = await TestAccounts.SignInAsync(NewClient(factory), LabsPortalFactory.AdminEmail, LabsPortalFactory.AdminPassword);
        Assert.NotNull(admin);
        var alphaPI = await InviteAsync(factory, admin, "pi@alpha.test", "PI", "alpha");
        var betaPI = await InviteAsync(factory, admin, "pi@beta.test", "PI", "beta");
        var member = await InviteAsync(factory, alphaPI, "member@alpha.test", "Member", null);
        var viewer = await InviteAsync(factory, alphaPI, "viewer@alpha.test", "Viewer", null);
        return new TwoLabs(admin, alphaPI, member, viewer, betaPI);
    }

    public static async Task<SignedInUser> InviteAsync(PortalFactory factory, SignedInUser by, string email, string role, string? lab)
    {
        using var client = by.CreateClient(factory);
        var response = await client.PostAsJsonAsync("/api/lab/invitations", new { email, role, lab });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{by.Email} inviting {email}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var link = (await response.Content.ReadFromJsonAsync<LabApi.InvitationLink>())!;
        return await TestAccounts.RegisterInvitedAsync(factory, email, link.Link);
    }

    public static HttpClient NewClient(PortalFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}
