using Bunit;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Components.Charts;

namespace MedSeg.Web.Tests.Components.Charts;

public sealed class LineChartTests : PortalComponentTest
{
    [Fact]
    public void LineChart_100kPoints_SendsDownsampledRawAndSmoothedLines()
    {
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.Setup<string?>("draw", _ => true).SetResult(null);
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
        var canvas = chart.Find("[data-testid=line-chart]");
        Assert.Equal("1000", canvas.GetAttribute("data-points"));
        Assert.Equal("100000", canvas.GetAttribute("data-raw-points"));
    }

    [Fact]
    public void LineChart_DataAppended_RedrawsOnlyWhenChanged()
    {
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.Setup<string?>("draw", _ => true).SetResult(null);
        var x = new List<double> { 1, 2, 3 };
        var y = new List<double> { 3, 2, 1 };
        var series = new[] { new LineSeries("loss", "red", x, y) };
        var chart = Render<LineChart>(p => p.Add(c => c.Series, series).Add(c => c.Smoothing, 0));

        chart.Render(p => p.Add(c => c.Series, series)); // same data: no second draw
        x.Add(4); y.Add(0.5);
        chart.Render(p => p.Add(c => c.Series, series));

        Assert.Equal(2, module.Invocations["draw"].Count);
        Assert.Equal("4", chart.Find("[data-testid=line-chart]").GetAttribute("data-points"));
        Assert.Equal("4", chart.Find("[data-testid=line-chart]").GetAttribute("data-last-x"));
    }

    [Fact]
    public void LineChart_ModuleThrows_ShowsTheErrorInItsBoxAndTheComponentLives()
    {
        // A JS exception from an interop call made in OnAfterRenderAsync would end the Blazor circuit (issue 12).
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.Setup<string?>("draw", _ => true).SetException(new Microsoft.JSInterop.JSException("RangeError: Invalid array length"));
        var x = new List<double> { 1, 2 };
        var y = new List<double> { 0.2, 0.20000000000000004 };
        var series = new[] { new LineSeries("loss", "red", x, y) };

        var chart = Render<LineChart>(p => p.Add(c => c.Series, series).Add(c => c.TestId, "loss-chart"));

        chart.WaitForAssertion(() => Assert.Contains("RangeError: Invalid array length", chart.Find("[data-testid=loss-chart-error]").TextContent));
        x.Add(3); y.Add(0.1);
        chart.Render(p => p.Add(c => c.Series, series)); // still alive: it takes new data and tries again
        Assert.Equal(2, module.Invocations["draw"].Count);
    }

    [Fact]
    public void LineChart_ModuleReportsAFailedDraw_ShowsItsMessage()
    {
        var module = JSInterop.SetupModule(LineChart.ModuleUrl);
        module.Setup<string?>("draw", _ => true).SetResult("Chart could not be drawn: no canvas");
        var chart = Render<LineChart>(p => p.Add(c => c.Series, new[] { new LineSeries("loss", "red", new[] { 1.0 }, new[] { 1.0 }) }));
        chart.WaitForAssertion(() => Assert.Contains("no canvas", chart.Find("[data-testid=line-chart-error]").TextContent));
    }

    [Fact]
    public void ChartPayload_NonFiniteValues_TravelAsGapsThatJsonCanCarry()
    {
        // System.Text.Json refuses NaN and ±Infinity: a NaN loss used to make the interop call itself throw.
        double[] x = [1, 2, 3, double.NaN, 5];
        double[] y = [0.5, double.NaN, double.PositiveInfinity, 0.4, 0.3];
        var payload = ChartPayload.Build([new LineSeries("loss", "red", x, y)], maxPoints: 1000, smoothing: 0.6);

        var json = System.Text.Json.JsonSerializer.Serialize(payload, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var raw = payload.Series[0];
        Assert.Equal([1.0, 2, 3, 5], raw.X);
        Assert.Equal([0.5, null, null, 0.3], raw.Y);
        Assert.Equal(3, raw.NonFinite); // NaN and +Inf values, and the point with a NaN step
        Assert.Contains("\"nonFinite\":3", json);
        var smoothed = payload.Series[1];
        Assert.Equal(0.5, smoothed.Y[0]);
        Assert.Null(smoothed.Y[1]); // the EMA passes non-finite values through as gaps
    }
}
