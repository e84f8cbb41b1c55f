using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>A signed-in account: the auth cookie as a Cookie header value, for HttpClient and SignalR alike.</summary>
public sealed record SignedInUser(string Email, string CookieHeader)
{
    public HttpClient CreateClient(PortalFactory factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", CookieHeader);
        return client;
    }
}

/// <summary>Registers accounts through the real static-SSR Identity page (antiforgery token and all).</summary>
public static partial class TestAccounts
{
    public const string Password = "Passw0rd!";

    public static Task<SignedInUser> RegisterAsync(PortalFactory factory, string email) =>
        RegisterAsync(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), email);

    /// <summary>Registers through <paramref name="client"/> (no redirects, no cookie container), e.g. against a portal child process.</summary>
    public static async Task<SignedInUser> RegisterAsync(HttpClient client, string email)
    {
        var page = await client.GetAsync("/Account/Register");
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "The register page has no antiforgery token field.");
        var antiforgeryCookies = CookiePairs(page);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "register",
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
