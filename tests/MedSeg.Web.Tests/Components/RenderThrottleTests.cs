using MedSeg.Web.Components;

namespace MedSeg.Web.Tests.Components;

public sealed class RenderThrottleTests
{
    [Fact]
    public async Task Burst_OfRequests_RendersAtMostOncePerInterval_AndOnceMoreAtTheEnd()
    {
        var renders = 0;
        using var throttle = new RenderThrottle(() => { Interlocked.Increment(ref renders); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(100));

        // 50 requests, one every ~10 ms (timers may make it longer: the bound uses the measured time).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            _ = throttle.RequestAsync();
            await Task.Delay(10);
        }
        var intervals = (int)(clock.ElapsedMilliseconds / 100);
        await Task.Delay(300); // let the trailing render happen

        Assert.InRange(renders, 2, intervals + 2);
        Assert.True(renders < 50 / 2, $"{renders} renders for 50 requests is no throttling");
    }

    [Fact]
    public async Task Disposed_PendingRenderNeverRuns()
    {
        var renders = 0;
        var throttle = new RenderThrottle(() => { renders++; return Task.CompletedTask; }, TimeSpan.FromMilliseconds(100));
        await throttle.RequestAsync(); // renders at once
        var pending = throttle.RequestAsync(); // scheduled for the end of the interval

        throttle.Dispose();
        await pending;

        Assert.Equal(1, renders);
    }
}
