using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// Base of the browser tests: opens pages that log their console, and on failure writes the portal's output
/// and the browser log into the test output. Figures (timings) go to the test output and /tmp/e2e-timings.txt.
/// </summary>
public abstract class E2ETest(PortalFixture fixture, ITestOutputHelper output)
{
    protected PortalFixture Fixture { get; } = fixture;
    protected ITestOutputHelper Output { get; } = output;
    protected BrowserLog Log { get; } = new();
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
        }
        catch
        {
            Output.WriteLine("---- portal output (tail) ----\n" + Fixture.Portal.Tail(150));
            Output.WriteLine("---- browser log ----\n" + Log);
            throw;
        }
        finally
        {
            foreach (var context in _contexts) await context.CloseAsync();
            _contexts.Clear();
        }
    }

    protected void Figure(string name, TimeSpan value)
    {
        var line = $"{name}: {value.TotalSeconds:0.00} s";
        Output.WriteLine(line);
        File.AppendAllText("/tmp/e2e-timings.txt", $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
    }
}
