using Microsoft.Playwright;
using MedSeg.Testing;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// One real portal process and one Chromium, shared by the test classes of a collection. Tests open their own
/// browser contexts (one per user) with <see cref="NewContextAsync"/>.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private readonly PortalProcessOptions _options;

    // One generation thread: the time a volume takes (and so what "live progress" shows) then depends on the
    // core's speed, not on how many cores the machine has.
    public PortalFixture() : this(new PortalProcessOptions { Settings = { ["Generation:MaxDegreeOfParallelism"] = "1" } }) { }

    /// <summary>A portal with other settings (a fixture of its own wraps it: xUnit wants one public constructor).</summary>
    internal PortalFixture(PortalProcessOptions options) => _options = options;

    public PortalProcess Portal { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>How the collection's portal starts (a subclass adds settings, e.g. a Slurm backend).</summary>
    protected virtual Task<PortalProcessOptions> OptionsAsync() => Task.FromResult(_options);

    public virtual async Task InitializeAsync()
    {
        // Playwright's 5 s for an expectation was missed by a page's first render on a loaded CI machine (a dataset's
        // detail page after its list); actions already wait 30 s. Only a failing expectation waits longer.
        Assertions.SetDefaultExpectTimeout(15_000);
        Portal = await PortalProcess.StartAsync(await OptionsAsync());
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A fresh context (its own cookies) on the portal, optionally signed in from a saved storage state.</summary>
    public Task<IBrowserContext> NewContextAsync(string? storageState = null) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = Portal.BaseUrl,
            ViewportSize = new() { Width = 1400, Height = 1000 },
            StorageState = storageState,
        });

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Portal is not null) await Portal.DisposeAsync();
    }
}

/// <summary>Test classes in this collection share one portal and one browser and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal e2e";
}
