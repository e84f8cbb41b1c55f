using Microsoft.Playwright;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// System Chromium (Debian package; Playwright never downloads a browser here). Playwright's non-persistent launch
/// gives every browser a fresh temporary profile (--user-data-dir), removed when it closes.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // WebGL2 through SwiftShader for the Cornerstone3D viewer: recent Chromium no longer falls back to it alone.
        "--enable-unsafe-swiftshader",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: run deploy/setup.sh (apt-get install chromium).");
        return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = Args });
    }
}
