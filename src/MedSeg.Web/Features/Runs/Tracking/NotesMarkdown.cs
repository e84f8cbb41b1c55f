using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MedSeg.Web.Features.Runs.Tracking;

/// <summary>
/// Run notes as HTML that is safe to insert into a page: raw HTML in the Markdown is escaped (shown as text), links
/// and images keep only http(s), mailto and relative targets (a javascript: or data: URL becomes "#"), and images
/// are shown as links (no request to another site just by opening a run).
/// </summary>
public static class NotesMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseReferralLinks("nofollow", "noopener", "noreferrer")
        .Build();

    public static string ToHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.IsImage = false;
            if (!IsSafe(link.Url)) link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
            if (!link.IsEmail && !IsSafe(link.Url)) link.Url = "#";
        return document.ToHtml(Pipeline);
    }

    /// <summary>The notes as one line of plain text, cut at <paramref name="max"/> characters (tooltips).</summary>
    public static string Excerpt(string? markdown, int max = 280)
    {
        var text = string.Join(' ', Markdown.ToPlainText(markdown ?? "", Pipeline)
            .Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = url.Trim();
        if (trimmed.Any(char.IsControl)) return false;
        // A scheme is whatever comes before the first ':' that precedes any '/', '?' or '#'.
        var colon = trimmed.IndexOf(':');
        var end = trimmed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (end >= 0 && end < colon)) return true; // relative
        var scheme = trimmed[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }
}
