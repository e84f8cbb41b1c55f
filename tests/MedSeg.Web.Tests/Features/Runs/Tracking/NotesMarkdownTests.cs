using MedSeg.Web.Features.Runs.Tracking;

namespace MedSeg.Web.Tests.Features.Runs.Tracking;

/// <summary>Run notes render as Markdown without any way to run script in a reader's browser.</summary>
public sealed class NotesMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("<div onclick=\"alert(1)\">x</div>", "<div")]
    [InlineData("[x](javascript:alert(1))", "javascript:")]
    [InlineData("[x]( JaVaScRiPt:alert(1))", "avascript:")]
    [InlineData("<javascript:alert(1)>", "href=\"javascript")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:")]
    [InlineData("![x](javascript:alert(1))", "<img")]
    [InlineData("[x][r]\n\n[r]: vbscript:msgbox(1)", "vbscript:")]
    public void Raw_HTML_and_script_URLs_never_reach_the_page(string markdown, string forbidden)
    {
        var html = NotesMarkdown.ToHtml(markdown);
        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Markdown_renders_and_safe_links_stay()
    {
        var html = NotesMarkdown.ToHtml("# Run\n**bold** *it* `code`\n\n- a\n- b\n\n[paper](https://arxiv.org/abs/1) [run](runs/3) <mailto:a@b.c>");
        Assert.Contains("<h1>Run</h1>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<li>a</li>", html);
        Assert.Contains("href=\"https://arxiv.org/abs/1\"", html);
        Assert.Contains("href=\"runs/3\"", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
    }

    [Fact]
    public void Empty_notes_render_empty_and_the_excerpt_is_one_bounded_line()
    {
        Assert.Equal("", NotesMarkdown.ToHtml(null).Trim());
        Assert.Equal("Tried lower lr", NotesMarkdown.Excerpt("## Tried\n\n**lower** lr"));
        var excerpt = NotesMarkdown.Excerpt(new string('a', 1000), 50);
        Assert.Equal(50, excerpt.Length);
        Assert.EndsWith("…", excerpt);
    }
}
