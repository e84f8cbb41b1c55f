using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Bench;

/// <summary>The real portal (same registration and pipeline as Program.cs) on a free local port, with a temporary database and data root.</summary>
public static partial class BenchPortal
{
    /// <param name="postgres">A PostgreSQL connection string (its database is created by the migrations), else SQLite in <paramref name="tempRoot"/>.</param>
    public static async Task<WebApplication> StartAsync(string tempRoot, string? postgres = null)
    {
        var builder = WebApplication.CreateBuilder(RepositoryRoot.CreateWebApplicationOptions([]));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres is null ? "SQLite" : "PostgreSQL",
            ["Database:ConnectionString"] = postgres ?? $"Data Source={Path.Combine(tempRoot, "bench.db")}",
            ["Storage:DataRoot"] = Path.Combine(tempRoot, "data"),
            ["Training:Enabled"] = "false", // the synthetic run is published by the benchmark itself
            ["Logging:LogLevel:Default"] = "Warning",
            // The benchmark registers its own PI through the page.
            ["Accounts:Registration"] = "Open",
            ["Accounts:FirstAccountBecomesPI"] = "true",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddApplicationServices();
        var app = builder.Build();
        await app.PrepareDatabaseAsync();
        app.UseApplicationPipeline();
        app.MapApplicationEndpoints();
        await app.StartAsync();
        return app;
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Registers an account through the real Register page; returns its sign-in cookie (name=value).</summary>
    public static async Task<string> RegisterAsync(string baseAddress, string email, string password)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseAddress) };
        var page = await client.GetAsync("/Account/Register");
        var html = await page.Content.ReadAsStringAsync();
        var token = Antiforgery().Match(html);
        if (!token.Success) throw new InvalidOperationException("The register page has no antiforgery field.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "register",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
                ["Input.ConfirmPassword"] = password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", Cookies(page)));
        var response = await client.SendAsync(post);
        return Cookies(response).FirstOrDefault(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Registering {email} set no sign-in cookie ({response.StatusCode}).");
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
