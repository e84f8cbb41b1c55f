using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Support;

/// <summary>A signed-in account: the auth cookie as a Cookie header value, for HttpClient and SignalR alike.</summary>
public sealed record SignedInUser(string Email, string CookieHeader)
{
    public HttpClient CreateClient(PortalFactory factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", CookieHeader);
        client.DefaultRequestHeaders.Add(CrossSiteRequestGuard.HeaderName, "1"); // as the portal's own scripts send it
        return client;
    }
}

/// <summary>Registers accounts through the real static-SSR Identity page (antiforgery token and all).</summary>
public static partial class TestAccounts
{
    public const string Password = "Passw0rd!";

    public static Task<SignedInUser> RegisterAsync(PortalFactory factory, string email) =>
        RegisterAsync(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), email);

    /// <summary>Registers with an invitation link (<c>…/Account/Register?invite=…</c>) from <c>POST /api/lab/invitations</c>.</summary>
    public static Task<SignedInUser> RegisterInvitedAsync(PortalFactory factory, string email, string link) =>
        RegisterAsync(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), email,
            new Uri(link).PathAndQuery);

    /// <summary>Signs in through the real Login page; the response, and the sign-in cookie when it worked.</summary>
    public static async Task<(HttpResponseMessage Response, SignedInUser? User)> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetAsync("/Account/Login");
        page.EnsureSuccessStatusCode();
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, "The login page has no antiforgery token field.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", CookiePairs(page)));
        var response = await client.SendAsync(post);
        var auth = CookiePairs(response).Where(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).ToList();
        return (response, auth.Count == 1 ? new SignedInUser(email, auth[0]) : null);
    }

    /// <summary>Registers through <paramref name="client"/> (no redirects, no cookie container), e.g. against a portal child process.</summary>
    public static async Task<SignedInUser> RegisterAsync(HttpClient client, string email, string path = "/Account/Register")
    {
        var page = await client.GetAsync(path);
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "The register page has no antiforgery token field.");
        var antiforgeryCookies = CookiePairs(page);

        var invite = path.Contains("invite=", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(path[(path.IndexOf("invite=", StringComparison.Ordinal) + 7)..])
            : "";
        using var post = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "register",
                ["Input.Invite"] = invite,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.Email"] = email,
                ["Input.Password"] = Password,
                ["Input.ConfirmPassword"] = Password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgeryCookies));
        var response = await client.SendAsync(post);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Registering {email} answered {(int)response.StatusCode} instead of a redirect: {Excerpt(body)}");
        var auth = CookiePairs(response).Where(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).ToList();
        Assert.True(auth.Count == 1, $"Registering {email} set no sign-in cookie.");
        return new SignedInUser(email, auth[0]);
    }

    private static IEnumerable<string> CookiePairs(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    private static string Excerpt(string html)
    {
        var errors = Regex.Matches(html, "<li class=\"validation-message\">(.*?)</li>|role=\"alert\"[^>]*>(.*?)</div>", RegexOptions.Singleline);
        return errors.Count > 0 ? string.Join(" | ", errors.Select(m => m.Value)) : html[..Math.Min(400, html.Length)];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
