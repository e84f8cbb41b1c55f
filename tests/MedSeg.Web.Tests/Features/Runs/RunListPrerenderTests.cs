using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Training.Methods;
using MedSeg.Web.Features.Lists;
using MedSeg.Web.Features.Runs.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The runs list's prerender (issue 18: the grid loaded its rows only once the circuit was up, 0.5–1.3 s after the HTML):
/// the first page is in the HTML, and handed to the interactive render.
/// </summary>
public sealed class RunListPrerenderTests : RunPageTestBase
{
    public RunListPrerenderTests() => Services.AddSingleton(MethodCatalog.WithBuiltIns());

    [Fact]
    public async Task Prerender_ShowsTheNewestTenRuns_AndHandsThemOver()
    {
        var runs = Enumerable.Range(1, 12).Select(i => Run(i, $"run-{i:00}", i % 2 == 0 ? TrainingRunStatus.Completed : TrainingRunStatus.Running, best: i / 20.0)).ToArray();
        runs[11].Method = TrainingMethods.FineTune;
        runs[11].ConfigJson = """{"datasetDir": "/data/downstream/Task09_Spleen", "learningRate": 0.001, "notes": "long"}""";
        await SeedAsync(pi: false, runs);
        SetRendererInfo(Prerender);

        var page = Render<RunList>();

        var names = page.FindAll("[data-testid=runs-grid-preview] [data-testid=run-link]").Select(a => a.TextContent).ToList();
        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(i => $"run-{i:00}"), names);
        Assert.Empty(page.FindAll("[data-testid=runs-grid]")); // the real grid waits for the circuit
        Assert.Equal("1–10 of 12", page.Find("[data-testid=first-page-footer]").TextContent.Trim());
        Assert.Contains("labelled: Task09_Spleen", page.Markup, StringComparison.Ordinal);

        var handed = FirstPageState.Unpack<TrainingRun>(page.Instance.FirstPageJson)!;
        Assert.Equal(Enumerable.Range(3, 10).Reverse(), handed.Items.Select(r => r.Id));
        Assert.Equal(12, handed.Total);
        Assert.DoesNotContain("learningRate", page.Instance.FirstPageJson, StringComparison.Ordinal); // only what the grid shows
    }

    [Fact]
    public async Task Interactive_WithoutAHandedPage_ShowsTheRealGridOnly()
    {
        await SeedAsync(pi: false, Run(1, "only", TrainingRunStatus.Completed, best: 0.4));
        EnsurePopoverProvider();
        SetRendererInfo(Interactive);

        var page = Render<RunList>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=runs-grid] [data-testid=run-link]")), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=runs-grid-preview]"));
    }
}
