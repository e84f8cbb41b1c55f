using System.Diagnostics;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Estimates;

/// <summary>
/// Real training steps of a configuration on random data (forward, Dice loss, backward, clipping, AdamW): the time of the
/// steps after one warm-up step and the working set after each backward. Used by the step-time probe of the run form and
/// by <c>medseg bench train</c> / <c>bench memory</c>.
/// </summary>
public static class TrainingStepProbe
{
    public sealed record Result(double MsPerStep, long PeakWorkingSetBytes);

    public static Result Measure(ModelChoice model, int crop, int batch, int classes, int steps, Device device, CancellationToken ct = default)
    {
        using var net = ModelFactory.Create(model.Name, model.Args);
        net.to(device);
        net.train();
        using var optimizer = optim.AdamW(net.parameters(), 1e-4, 0.9, 0.999, 1e-8, 1e-5);
        var loss = new DiceLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true });
        long peak = 0;
        var clock = new Stopwatch();
        for (int i = 0; i <= steps; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (i == 1) clock.Start(); // step 0 warms up
            using var scope = NewDisposeScope();
            var x = torch.randn(new long[] { batch, 1, crop, crop, crop }).to(device);
            var y = torch.randint(0L, (long)classes, new long[] { batch, 1, crop, crop, crop }, ScalarType.Int64).to(device);
            optimizer.zero_grad();
            var value = loss.Compute(net.call(x), y);
            value.backward();
            peak = Math.Max(peak, MemoryProbe.WorkingSetBytes());
            nn.utils.clip_grad_norm_(net.parameters(), 1.0);
            optimizer.step();
            _ = value.item<float>(); // synchronises CUDA
        }
        return new Result(steps > 0 ? clock.Elapsed.TotalMilliseconds / steps : double.NaN, peak);
    }
}
