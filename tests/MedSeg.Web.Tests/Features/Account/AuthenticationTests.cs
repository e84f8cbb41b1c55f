using System.Net;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Mvc.Testing;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Account;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    private HttpClient Anonymous() =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Theory]
    [InlineData("/api/datasets/1/volumes/0/image")]
    [InlineData("/api/datasets/1/download")]
    [InlineData("/api/anything")]
    public async Task Api_Anonymous_Returns401NotARedirect(string path)
    {
        var response = await Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/datasets")]
    [InlineData("/datasets/new")]
    public async Task Page_Anonymous_RedirectsToLogin(string path)
    {
        var response = await Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RegisterPage_Anonymous_IsServedWithTestIds()
    {
        var html = await (await Anonymous().GetAsync("/Account/Register")).Content.ReadAsStringAsync();

        foreach (var id in new[] { "register-email", "register-password", "register-submit" })
            Assert.Contains($"data-testid=\"{id}\"", html);
    }

    [Fact]
    public async Task Register_FirstAccountIsPI_LaterAccountsAreMembers_AndCanOpenPages()
    {
        var first = await TestAccounts.RegisterAsync(factory, "pi@lab.test");
        var second = await TestAccounts.RegisterAsync(factory, "student@lab.test");

        Assert.True((await DatasetTestHelpers.PortalUserAsync(factory, first.Email)).IsPI);
        Assert.False((await DatasetTestHelpers.PortalUserAsync(factory, second.Email)).IsPI);
        var page = await second.CreateClient(factory).GetAsync("/datasets");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Datasets", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Register_WeakPassword_StaysOnPageWithError()
    {
        var client = Anonymous();
        var page = await client.GetAsync("/Account/Register");
        var html = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "register", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.Email"] = "weak@lab.test", ["Input.Password"] = "abcdefg", ["Input.ConfirmPassword"] = "abcdefg",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));

        var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Error:", await response.Content.ReadAsStringAsync());
        Assert.Null(await FindUser("weak@lab.test"));
    }

    private async Task<ApplicationUser?> FindUser(string email)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        return db.Users.SingleOrDefault(u => u.Email == email);
    }
}
