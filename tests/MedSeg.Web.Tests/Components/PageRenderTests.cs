using System.Net;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Components;

/// <summary>Signed-in pages prerender on the server with the stable test ids the Playwright e2e tests rely on.</summary>
public sealed class PageRenderTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private SignedInUser user = default!;

    public async Task InitializeAsync() => user = await TestAccounts.RegisterAsync(factory, "pi@pages.test");
    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("/datasets/new", new[] { "create-name", "create-count", "create-size", "create-seed", "create-submit", "preview" })]
    [InlineData("/datasets", new[] { "datasets-grid-preview", "first-page-footer", "new-dataset" })] // the real grid waits for the circuit
    [InlineData("/", new[] { "theme-toggle", "current-user", "nav-datasets" })]
    public async Task Page_SignedIn_RendersWithTestIds(string path, string[] testIds)
    {
        var response = await user.CreateClient(factory).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var id in testIds)
            Assert.Contains($"data-testid=\"{id}\"", html);
    }

    [Fact]
    public async Task DetailPage_UnknownDataset_SaysSo()
    {
        var html = await (await user.CreateClient(factory).GetAsync("/datasets/4242")).Content.ReadAsStringAsync();

        Assert.Contains("data-testid=\"dataset-missing\"", html);
    }
}
