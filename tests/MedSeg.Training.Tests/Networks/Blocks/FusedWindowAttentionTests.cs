using System.Globalization;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Randomness;
using MedSeg.Training.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Networks.Blocks;

/// <summary>
/// Window attention through the fused scaled_dot_product_attention (no gradient) gives MONAI's explicit form up to float
/// rounding, keeps the labels of a sliding-window pass, and needs less memory; with gradients the explicit form runs.
/// </summary>
[Collection(SerialCollection.Name)] // flips the process-wide WindowAttention.FusedInference and measures peak memory
public class FusedWindowAttentionTests(ITestOutputHelper output)
{
    private static Tensor Run(bool fused, Func<Tensor> forward)
    {
        bool previous = WindowAttention.FusedInference;
        try
        {
            WindowAttention.FusedInference = fused;
            return forward();
        }
        finally
        {
            WindowAttention.FusedInference = previous;
        }
    }

    /// <summary>A shift mask as MONAI's: 0 within a region, -100 across regions, per window.</summary>
    private static Tensor ShiftMask(long windows, long n) =>
        GlobalTorchRandom.Seeded(4, () => (rand(windows, n, n) < 0.3).to(ScalarType.Float32) * -100f);

    [Theory]
    [InlineData(1, false)] // regular windows: the bias alone
    [InlineData(1, true)]  // shifted windows: bias + mask summed once
    [InlineData(3, true)]  // three images per call (sw-batch 3): one kernel call per image
    public void Fused_Equals_Explicit_Attention(int images, bool shifted)
    {
        long[] window = [3, 3, 3];
        long windows = 4, n = 27, dim = 24;
        using var attention = GlobalTorchRandom.Seeded(1, () => new WindowAttention(dim, 3, window, qkvBias: true));
        attention.eval();
        using var x = GlobalTorchRandom.Seeded(2, () => randn(images * windows, n, dim));
        using var mask = shifted ? ShiftMask(windows, n) : null;
        using var _ = inference_mode();
        using var explicitForm = Run(false, () => attention.call(x, mask));
        using var fused = Run(true, () => attention.call(x, mask));
        double error = TensorAssert.MaxAbsDifference(explicitForm, fused);
        output.WriteLine($"images {images}, shifted {shifted}: max |fused - explicit| = {error:E2}");
        Assert.True(error <= 1e-5, $"max abs difference {error:E3} exceeds 1e-5");
    }

    [Fact]
    public void With_Gradients_The_Explicit_Form_Runs_And_Backpropagates()
    {
        using var attention = GlobalTorchRandom.Seeded(1, () => new WindowAttention(12, 3, [2, 2, 2], qkvBias: true));
        using var x = randn(2, 8, 12);
        using var scope = NewDisposeScope();
        var y = Run(true, () => attention.call(x, ShiftMask(2, 8)));
        y.square().sum().backward();
        Assert.True(attention.parameters().All(p => p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void SwinUnetr_Sliding_Window_Fused_Matches_Explicit_Labels_And_Memory()
    {
        using var model = GlobalTorchRandom.Seeded(1, () => new SwinUnetr(inChannels: 1, outChannels: 2, featureSize: 12));
        model.eval();
        using var image = GlobalTorchRandom.Seeded(2, () => rand(new long[] { 1, 1, 72, 64, 40 }));
        var options = new SlidingWindowOptions { RoiSize = [64, 64, 32], Overlap = 0.5, Mode = BlendMode.Gaussian };
        // Warm-up (shift-mask cache, allocator) so both measured passes start alike; fused first, so any memory the
        // allocator keeps from it can only help the explicit pass that follows.
        using (Run(true, () => SlidingWindowInference.Run(image, model.call, options))) { }
        var (fused, fusedPeak) = PeakAbove(() => Run(true, () => SlidingWindowInference.Run(image, model.call, options)));
        var (explicitForm, explicitPeak) = PeakAbove(() => Run(false, () => SlidingWindowInference.Run(image, model.call, options)));
        using (fused)
        using (explicitForm)
        {
            double error = TensorAssert.MaxAbsDifference(explicitForm, fused);
            using var labelsExplicit = explicitForm.argmax(1);
            using var labelsFused = fused.argmax(1);
            long differing = labelsExplicit.ne(labelsFused).sum().item<long>();
            // Where the two logits are closer than rounding, either label is right; nowhere else may they differ.
            using var margin = (explicitForm[.., 0] - explicitForm[.., 1]).abs();
            long clearDiffering = (labelsExplicit.ne(labelsFused) & margin.gt(1e-5)).sum().item<long>();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"max |fused - explicit| = {error:E2}; labels differing: {differing} of {labelsFused.numel()}; "
                + $"peak above start: fused {fusedPeak / 1048576.0:F0} MB, explicit {explicitPeak / 1048576.0:F0} MB"));
            Assert.True(error <= 1e-5, $"max abs difference {error:E3} exceeds 1e-5");
            Assert.Equal(0, clearDiffering);
            if (fusedPeak > 0 && explicitPeak > 0)
                Assert.True(fusedPeak < explicitPeak, $"fused peak {fusedPeak} B is not below the explicit form's {explicitPeak} B");
        }
    }

    /// <summary>The result and the process's peak resident memory above its resident memory at the start (Linux; else 0).</summary>
    private static (Tensor Result, long PeakBytes) PeakAbove(Func<Tensor> run)
    {
        long start = 0;
        bool measured = OperatingSystem.IsLinux();
        if (measured)
        {
            File.WriteAllText("/proc/self/clear_refs", "5"); // VmHWM := VmRSS
            start = StatusBytes("VmHWM");
        }
        var result = run();
        return (result, measured ? StatusBytes("VmHWM") - start : 0);
    }

    private static long StatusBytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
