using Bunit;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Downstream.Components;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>Issue 12, point 5: the downstream bar chart's Dice axis ran 0–20.</summary>
public sealed class DownstreamBoardChartTests : PortalComponentTest
{
    [Fact]
    public void Bar_chart_axis_runs_0_to_100_percent()
    {
        var rows = new[]
        {
            new DownstreamRow(1, "ft", "pre", new Dictionary<int, double> { [1] = 0.8 }, 0.8, 1.2, "test"),
            new DownstreamRow(2, "scratch", "scratch", new Dictionary<int, double> { [1] = 0.55 }, 0.55, 2.0, "test"),
        };
        var view = Render<DownstreamBoardView>(p => p.Add(c => c.Board, new DownstreamBoard("downstream/x", [new(1, "liver")], rows)));

        var chart = view.Find("[data-testid=downstream-chart]");
        var labels = chart.QuerySelectorAll("text").Select(t => t.TextContent.Trim()).ToList();
        Assert.Contains("100", labels);
        Assert.DoesNotContain(labels, l => double.TryParse(l, out var v) && v > 100);
        Assert.Contains("mean Dice (%)", chart.TextContent);
    }
}
