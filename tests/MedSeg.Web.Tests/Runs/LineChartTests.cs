using Bunit;
using MedSeg.Web.Components.Charts;
using MedSeg.Web.Tests.Components;

namespace MedSeg.Web.Tests.Runs;

public sealed class LineChartTests : PortalComponentTest
{
    [Fact]
    public void LineChart_100kPoints_SendsDownsampledRawAndSmoothedLines()
    {
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.SetupVoid("draw", _ => true).SetVoidResult();
        var x = Enumerable.Range(1, 100_000).Select(i => (double)i).ToList();
        var y = x.Select(v => 1.0 / Math.Sqrt(v)).ToList();

        var chart = Render<LineChart>(p => p
            .Add(c => c.Series, new[] { new LineSeries("loss", "#1976d2", x, y) })
            .Add(c => c.MaxPoints, 500)
            .Add(c => c.Smoothing, 0.6));

        var draw = Assert.Single(module.Invocations["draw"]);
        var payload = Assert.IsType<ChartPayload>(draw.Arguments[1]);
        Assert.Equal(2, payload.Series.Count);
        Assert.All(payload.Series, line => Assert.Equal(500, line.X.Length));
        Assert.Equal(1.0, payload.Series[0].X[0]);
        Assert.Equal(100_000.0, payload.Series[0].X[^1]);
        Assert.True(payload.Series[0].Alpha < payload.Series[1].Alpha, "raw line drawn fainter than the smoothed one");
        var canvas = chart.Find("canvas");
        Assert.Equal("1000", canvas.GetAttribute("data-points"));
        Assert.Equal("100000", canvas.GetAttribute("data-raw-points"));
    }

    [Fact]
    public void LineChart_DataAppended_RedrawsOnlyWhenChanged()
    {
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.SetupVoid("draw", _ => true).SetVoidResult();
        var x = new List<double> { 1, 2, 3 };
        var y = new List<double> { 3, 2, 1 };
        var series = new[] { new LineSeries("loss", "red", x, y) };
        var chart = Render<LineChart>(p => p.Add(c => c.Series, series).Add(c => c.Smoothing, 0));

        chart.Render(p => p.Add(c => c.Series, series)); // same data: no second draw
        x.Add(4); y.Add(0.5);
        chart.Render(p => p.Add(c => c.Series, series));

        Assert.Equal(2, module.Invocations["draw"].Count);
        Assert.Equal("4", chart.Find("canvas").GetAttribute("data-points"));
        Assert.Equal("4", chart.Find("canvas").GetAttribute("data-last-x"));
    }
}
