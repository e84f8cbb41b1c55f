using MedSeg.Testing;
using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// Base of the viewer's browser tests: opens pages of the shared test server in the shared Chromium, each watched by the
/// shared console guard, which fails the test on any console error or page error once its body has run.
/// </summary>
public abstract class ViewerBrowserTest(ChromiumFixture fixture) : IAsyncLifetime
{
    protected readonly BrowserConsoleGuard Guard = new();
    private readonly List<IPage> _pages = [];

    protected ChromiumFixture Fixture => fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var page in _pages) await page.CloseAsync();
        Guard.AssertClean();
    }

    /// <summary>Opens path (e.g. "/" or "/blazor") on the test server.</summary>
    protected async Task<IPage> OpenPageAsync(string path)
    {
        var page = await fixture.Browser.NewPageAsync();
        _pages.Add(page);
        Guard.Attach(page);
        await page.GotoAsync(fixture.Server.BaseUrl + path);
        return page;
    }

    protected string Log => Guard.ToString();

    protected static string Data(string file) => "/data/" + file;
}
