using MedSeg.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// Base of the browser tests: opens pages watched by the shared <see cref="BrowserConsoleGuard"/> (a test whose body
/// passed still fails on any console error or page error it did not announce with <c>Log.Allow</c>), and on failure
/// writes the portal's output and the browser log into the test output. Figures (timings) go to the test output and /tmp/e2e-timings.txt.
/// </summary>
public abstract class E2ETest(PortalFixture fixture, ITestOutputHelper output)
{
    protected PortalFixture Fixture { get; } = fixture;
    protected ITestOutputHelper Output { get; } = output;
    protected BrowserConsoleGuard Log { get; } = new();
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>A new page in a new context (its own cookies), optionally restoring a signed-in state.</summary>
    protected async Task<IPage> NewPageAsync(string? storageState = null)
    {
        var context = await Fixture.NewContextAsync(storageState);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        Log.Attach(page);
        return page;
    }

    /// <summary>Runs the test body; on failure dumps what the portal and browser said, then rethrows.</summary>
    protected async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            Log.AssertClean();
        }
        catch
        {
            Output.WriteLine("---- portal output (tail) ----\n" + Fixture.Portal.Tail(150));
            Output.WriteLine("---- browser log ----\n" + Log);
            // Last, so that an output cut to its end still shows what each page showed when the test failed.
            foreach (var page in _contexts.SelectMany(c => c.Pages)) Output.WriteLine(await PageStateAsync(page));
            throw;
        }
        finally
        {
            foreach (var context in _contexts) await context.CloseAsync();
            _contexts.Clear();
        }
    }

    /// <summary>A page's address and the end of its visible text (dialogs and snackbars included), for a failure's output.</summary>
    private static async Task<string> PageStateAsync(IPage page)
    {
        const int keep = 1500;
        try
        {
            var text = await page.EvaluateAsync<string>("() => document.body ? document.body.innerText : ''").WaitAsync(TimeSpan.FromSeconds(5));
            text = string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return $"---- page {page.Url} ----\n{(text.Length > keep ? "…" + text[^keep..] : text)}";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"---- page {page.Url} (text unavailable: {e.Message.Split('\n')[0]}) ----";
        }
    }

    /// <summary>
    /// For a test that kills or restarts the portal on purpose: the browser then logs failed connections and Blazor's
    /// reconnect attempts as console errors. Only those are allowed; page errors never are.
    /// </summary>
    protected void AllowServerRestart()
    {
        Log.Allow(@"^console error: .*(ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|WebSocket|Connection disconnected|Failed to start the connection|Failed to complete negotiation|negotiat|reconnect|circuit|Server returned an error on close|Failed to fetch)");
    }

    protected void Figure(string name, TimeSpan value)
    {
        var line = $"{name}: {value.TotalSeconds:0.00} s";
        Output.WriteLine(line);
        File.AppendAllText("/tmp/e2e-timings.txt", $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
    }
}
