using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Infrastructure.Security;

/// <summary>
/// Findings 2, 5, 6, 10 and 11 against the real app: registration closed to strangers, lockout and rate limits on
/// sign-in, no account enumeration, the CSRF guard on cookie-authenticated API calls, security headers without a
/// Server header, sessions ended by sign-out, CSV cells that cannot run as formulas, names ending in a newline refused.
/// </summary>
public sealed class SessionAndRequestHardeningTests
{
    [Fact]
    public async Task InviteOnlyByDefault_AStrangerCannotRegister_AndNobodyBecomesPIByBeingFirst()
    {
        await using var factory = new LabsPortalFactory();
        using var client = TwoLabs.NewClient(factory);
        var page = await client.GetStringAsync("/Account/Register");
        Assert.Contains("by invitation only", page);
        Assert.DoesNotContain("register-submit", page);

        // A forged or edited invitation is no invitation.
        Assert.Contains("by invitation only", await client.GetStringAsync("/Account/Register?invite=forged-token"));

        // The administrator came from configuration and is PI of the first lab; an invited member is only a member.
        var labs = await TwoLabs.CreateAsync(factory);
        var admin = await DatasetTestHelpers.PortalUserAsync(factory, LabsPortalFactory.AdminEmail);
        Assert.True(admin.IsAdmin && admin.IsPI && admin.LabId == "default");
        var alphaMember = await DatasetTestHelpers.PortalUserAsync(factory, labs.AlphaMember.Email);
        Assert.False(alphaMember.IsPI);
        Assert.Equal("alpha", alphaMember.LabId);
    }

    [Fact]
    public async Task ThirtyWrongPasswords_LockTheAccount_TheRightOneThenFails_AndTheAnswerNeverRevealsTheAccount()
    {
        await using var factory = new PortalFactory();
        await TestAccounts.RegisterAsync(factory, "pi@lockout.test");
        using var client = TwoLabs.NewClient(factory);
        for (int i = 0; i < 30; i++) await TestAccounts.SignInAsync(client, "pi@lockout.test", "wrong-password");

        var (right, user) = await TestAccounts.SignInAsync(client, "pi@lockout.test", TestAccounts.Password);
        Assert.Null(user);
        var lockedAnswer = await right.Content.ReadAsStringAsync();
        var (unknown, _) = await TestAccounts.SignInAsync(client, "nobody@lockout.test", "wrong-password");
        Assert.Contains("Invalid login attempt", lockedAnswer);
        Assert.Contains("Invalid login attempt", await unknown.Content.ReadAsStringAsync());

        // Registering a taken address reads like any refusal: no "is already taken".
        var again = await Assert.ThrowsAnyAsync<Exception>(() => TestAccounts.RegisterAsync(factory, "pi@lockout.test"));
        Assert.DoesNotContain("already taken", again.Message);
        Assert.Contains("could not be created", again.Message);
    }

    [Fact]
    public async Task SignInPosts_AreRateLimitedPerAddress_With429ProblemDetails()
    {
        await using var factory = new RateLimitedFactory();
        using var client = TwoLabs.NewClient(factory);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++) statuses.Add((await TestAccounts.SignInAsync(client, "x@limit.test", "wrong")).Response.StatusCode);
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task CookieApiCalls_NeedTheGuardHeader_AndAForeignOriginIsRefused_WhateverTheBody()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@csrf.test");
        using var bare = TwoLabs.NewClient(factory);
        bare.DefaultRequestHeaders.Add("Cookie", account.CookieHeader);
        var run = await RunTestHelpers.CreateAsync(factory, await DatasetTestHelpers.PortalUserAsync(factory, account.Email),
            RunTestHelpers.TinyRequest("target", 3));

        // What a foreign page can send: a form or text/plain POST, no custom header; cancel needs no body at all.
        foreach (var content in new HttpContent?[] { null, new StringContent("x", null, "text/plain"), new FormUrlEncodedContent([]) })
        {
            var response = await bare.PostAsync($"/api/runs/{run.Id}/cancel", content);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains(CrossSiteRequestGuard.HeaderName, await response.Content.ReadAsStringAsync());
        }
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/downstream/datasets?name=x&file=x.zip") { Content = new ByteArrayContent([1, 2, 3]) };
        upload.Headers.Add("Cookie", account.CookieHeader);
        upload.Headers.Add(CrossSiteRequestGuard.HeaderName, "1");
        upload.Headers.Add("Origin", "https://evil.example");
        var foreign = await bare.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("https://evil.example", await foreign.Content.ReadAsStringAsync());

        using var same = account.CreateClient(factory); // the header, as the portal's scripts send it
        Assert.Equal(HttpStatusCode.NoContent, (await same.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_NoServerHeader_AndSignOutEndsEveryCopyOfTheSession()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@headers.test");
        using var client = account.CreateClient(factory);

        var page = await client.GetAsync("/");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(page.Headers.Contains("Server"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs/export.csv")).StatusCode);

        // Sign out with one copy of the cookie: the captured copy stops working too.
        var logoutPage = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(logoutPage, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(token.Success, "no logout form with an antiforgery token on the home page");
        var antiforgery = page.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(v => v.Split(';')[0]).Where(c => c.StartsWith(".AspNetCore.Antiforgery")) : [];
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value), ["returnUrl"] = "",
            }),
        };
        using var raw = TwoLabs.NewClient(factory);
        logout.Headers.Add("Cookie", string.Join("; ", antiforgery.Append(account.CookieHeader)));
        var loggedOut = await raw.SendAsync(logout);
        Assert.True(loggedOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"{loggedOut.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/runs/export.csv")).StatusCode);
    }

    [Fact]
    public async Task CsvExport_EscapesFormulaCells_AndANameEndingInANewlineIsRefused()
    {
        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@csv.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("=HYPERLINK(\"http://x\",\"y\")", 3));
        await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("@SUM(A1:A2)", 3));
        using var client = account.CreateClient(factory);

        var csv = await client.GetStringAsync("/api/runs/export.csv");
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", csv);
        Assert.Contains(",'@SUM(A1:A2),", csv);
        Assert.DoesNotContain(",=", csv);
        Assert.DoesNotContain(",@", csv);

        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync("/api/downstream/datasets?name=abc%0A&file=a.zip", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Name must be", await response.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Path.Combine(factory.DataRoot, "downstream", "abc\n")));
    }

    private sealed class RateLimitedFactory : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Limits:AuthPostsPerMinute", "3");
        }
    }
}
