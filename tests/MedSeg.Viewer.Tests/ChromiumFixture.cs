using Microsoft.Playwright;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// One system Chromium (Debian package, never a Playwright download) and one test server shared by
/// the browser tests. A missing /usr/bin/chromium fails the tests: deploy/setup.sh installs it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private string? _profileDirectory;

    public IBrowserContext Browser { get; private set; } = default!;
    public ViewerTestServer Server { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run deploy/setup.sh (apt-get install chromium).");
        }
        Server = await ViewerTestServer.StartAsync();
        ViewerTestData.WriteAll(Server.DataDirectory);
        ViewerReadoutData.WriteAll(Server.DataDirectory);
        _playwright = await Playwright.CreateAsync();
        _profileDirectory = Directory.CreateTempSubdirectory("medseg-viewer-chromium-").FullName;
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profileDirectory, new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ViewportSize = new() { Width = 1200, Height = 700 },
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // WebGL2 through SwiftShader: recent Chromium no longer falls back to it on its own.
                "--enable-unsafe-swiftshader",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        if (_profileDirectory is not null) Directory.Delete(_profileDirectory, recursive: true);
    }
}
