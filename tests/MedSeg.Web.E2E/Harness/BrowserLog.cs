using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MedSeg.Web.E2E.Harness;

/// <summary>Console messages and page errors of the pages a test opened, for failure messages.</summary>
public sealed class BrowserLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Attach(IPage page)
    {
        page.Console += (_, m) => _lines.Enqueue($"console {m.Type}: {m.Text}");
        page.PageError += (_, e) => _lines.Enqueue($"pageerror: {e}");
    }

    public IEnumerable<string> PageErrors => _lines.Where(l => l.StartsWith("pageerror", StringComparison.Ordinal));

    public override string ToString() => string.Join("\n", _lines);
}
