using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MedSeg.Testing;

/// <summary>
/// The one console guard of every browser test (in MedSeg.Testing, used by MedSeg.Viewer.Tests and MedSeg.Web.E2E): it records
/// every console message and page error of the pages it watches, and <see cref="AssertClean"/> fails the test on any
/// page error (an uncaught exception) or console error that the test did not announce with <see cref="Allow"/>.
/// A chart that throws, a failed module import or a 404 for a script all surface as one of those.
/// </summary>
public sealed class BrowserConsoleGuard
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentBag<Regex> _allowed = [];

    /// <summary>Watches a page: its console messages and uncaught exceptions.</summary>
    public void Attach(IPage page)
    {
        page.Console += (_, m) =>
        {
            var line = $"console {m.Type}: {m.Text}";
            _lines.Enqueue(line);
            if (m.Type == "error") _problems.Enqueue(line);
        };
        page.PageError += (_, e) =>
        {
            var line = $"pageerror: {e}";
            _lines.Enqueue(line);
            _problems.Enqueue(line);
        };
        // Chromium's "Failed to load resource" console error names no URL: log failed responses beside it.
        page.Response += (_, r) =>
        {
            if (r.Status >= 400) _lines.Enqueue($"http {r.Status}: {r.Url}");
        };
        page.Crash += (_, _) =>
        {
            _lines.Enqueue("crash: the page crashed");
            _problems.Enqueue("crash: the page crashed");
        };
    }

    /// <summary>Every context page from now on (pages opened by links or scripts too).</summary>
    public void Attach(IBrowserContext context) => context.Page += (_, page) => Attach(page);

    /// <summary>
    /// Announces an expected console error (e.g. the reconnect attempts while a test kills the server).
    /// Matched against the whole line ("console error: …" / "pageerror: …"). Page errors should never be allowed.
    /// </summary>
    public void Allow(string pattern) => _allowed.Add(new Regex(pattern, RegexOptions.CultureInvariant));

    public IReadOnlyList<string> Problems
    {
        get
        {
            // A browser asks for /favicon.ico on its own (Playwright does not even report that request); a test server
            // without one answers 404. Chromium's "Failed to load resource" names no URL, so such an error counts only when
            // a page request really failed (a response >= 400 other than the favicon).
            var failed = _lines.Count(l => l.StartsWith("http ", StringComparison.Ordinal) && !l.EndsWith("/favicon.ico", StringComparison.Ordinal));
            return _problems.Where(p => !_allowed.Any(a => a.IsMatch(p))
                && !(failed == 0 && p.StartsWith("console error: Failed to load resource", StringComparison.Ordinal))).ToList();
        }
    }

    public IEnumerable<string> PageErrors => _lines.Where(l => l.StartsWith("pageerror", StringComparison.Ordinal));

    /// <summary>Fails with every unexpected console error and page error, and the whole log for context.</summary>
    public void AssertClean()
    {
        var problems = Problems;
        if (problems.Count == 0) return;
        throw new BrowserConsoleException(
            $"The browser reported {problems.Count} console error(s) or page error(s):\n  {string.Join("\n  ", problems)}\n---- browser log ----\n{this}");
    }

    public override string ToString() => string.Join("\n", _lines);
}

/// <summary>A browser test that ended with console or page errors.</summary>
public sealed class BrowserConsoleException(string message) : Exception(message);
