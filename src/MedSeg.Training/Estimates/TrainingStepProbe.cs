using System.Diagnostics;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Estimates;

/// <summary>
/// Real training steps of a configuration on random data: forward, Dice loss (deep-supervised Dice + CE when the network
/// returns several scales, e.g. PCT-Net with multiscale_pred), backward, gradient clipping to 1, AdamW; every temporary
/// dies with the step's dispose scope, then <see cref="NativeRuntime.ReleaseFreedMemory"/> as in the training loop.
/// <see cref="Measure"/> times the steps for the run form's step-time probe and <c>medseg bench train</c> /
/// <c>bench memory</c>; <c>bench train --memory</c> drives the steps itself.
/// </summary>
public sealed class TrainingStepProbe : IDisposable
{
    public sealed record Result(double MsPerStep, long PeakWorkingSetBytes, double FlopsPerStep = 0, long? GpuPeakBytes = null);

    private readonly nn.Module<Tensor, Tensor> net;
    private readonly optim.Optimizer optimizer;
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private readonly long[] shape;
    private readonly int classes;
    private readonly Device device;

    /// <summary>Parameter count, for headers.</summary>
    public long Parameters { get; }

    /// <summary>Resident memory after building the network, before the optimiser (start-up footprint).</summary>
    public long RssAfterNetwork { get; }

    /// <param name="size">Crop D,H,W of the random input.</param>
    public TrainingStepProbe(ModelChoice model, int[] size, int batch, int classes, Device device)
    {
        net = ModelFactory.Create(model.Name, model.Args);
        shape = [batch, 1, size[0], size[1], size[2]];
        this.classes = classes;
        this.device = device;
        net.to(device);
        net.train();
        Parameters = net.parameters().Sum(p => p.numel());
        RssAfterNetwork = MemoryProbe.WorkingSetBytes();
        optimizer = new Optimization.AdamW(net.parameters(), 1e-4, 0.9, 0.999, 1e-8, 1e-5);
        if (net is IMultiscaleSegmentation { OutputCount: > 1 } multiscale)
        {
            var deep = new DeepSupervisionLoss(new PymicDiceCeLoss());
            loss = (x, y) => deep.Compute(multiscale.ForwardMultiscale(x), y);
        }
        else
        {
            var dice = new DiceLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true });
            loss = (x, y) => dice.Compute(net.call(x), y);
        }
    }

    /// <summary>FLOPs of one training step (<see cref="FlopCounter"/>, counted on a random input).</summary>
    public double FlopsPerStep()
    {
        using var scope = NewDisposeScope();
        return FlopCounter.TrainingStepFactor * FlopCounter.Forward(net, randn(shape).to(device));
    }

    /// <summary>One step; returns the loss (reading it synchronises CUDA).</summary>
    /// <param name="afterBackward">Called while the step's activations and gradients are alive (memory peaks).</param>
    public float Run(Action? afterBackward = null)
    {
        float value;
        using (NewDisposeScope())
        {
            var x = randn(shape).to(device);
            var y = randint(0L, classes, shape, ScalarType.Int64).to(device);
            optimizer.zero_grad();
            var l = loss(x, y);
            l.backward();
            afterBackward?.Invoke();
            nn.utils.clip_grad_norm_(net.parameters(), 1.0);
            optimizer.step();
            value = l.item<float>();
        }
        NativeRuntime.ReleaseFreedMemory();
        return value;
    }

    /// <summary>
    /// The time of <paramref name="steps"/> steps after one warm-up step, the working set after each backward, the FLOPs
    /// per step and, on CUDA, the peak GPU memory (<see cref="Devices.GpuPeak"/>, NVML).
    /// </summary>
    public static Result Measure(ModelChoice model, int crop, int batch, int classes, int steps, Device device, CancellationToken ct = default)
    {
        var gpu = new Devices.GpuPeak(device); // baseline before the network exists
        using var probe = new TrainingStepProbe(model, [crop, crop, crop], batch, classes, device);
        var flops = probe.FlopsPerStep();
        long peak = 0;
        var clock = new Stopwatch();
        for (int i = 0; i <= steps; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (i == 1) clock.Start(); // step 0 warms up
            probe.Run(() => peak = Math.Max(peak, MemoryProbe.WorkingSetBytes()));
            gpu.Sample();
        }
        return new Result(steps > 0 ? clock.Elapsed.TotalMilliseconds / steps : double.NaN, peak, flops, gpu.PeakBytes);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        net.Dispose();
    }
}
