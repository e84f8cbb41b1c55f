using MedSeg.Training.Inference;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Tests.Support;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Blocks;

/// <summary>
/// Cached shifted-window masks change nothing: the same output as masks recomputed per forward, and a network that
/// ran under inference mode (sliding-window validation) still trains at the same shape afterwards.
/// </summary>
[Collection(SerialCollection.Name)] // flips the process-wide ShiftMaskCache.Enabled
public class ShiftMaskCacheTests
{
    [Fact]
    public void Cached_Masks_Give_The_Output_Of_Recomputed_Masks()
    {
        using var model = new SwinUnetr(inChannels: 1, outChannels: 2, featureSize: 12);
        model.eval();
        using var x = randn(new long[] { 1, 1, 32, 32, 64 });
        using var _ = no_grad();
        using var cachedFirst = model.forward(x);
        using var cachedAgain = model.forward(x);
        Tensor recomputed;
        try
        {
            ShiftMaskCache.Enabled = false;
            recomputed = model.forward(x);
        }
        finally
        {
            ShiftMaskCache.Enabled = true;
        }
        using (recomputed)
        {
            Assert.Equal(0, TensorAssert.MaxAbsDifference(cachedFirst, cachedAgain));
            Assert.Equal(0, TensorAssert.MaxAbsDifference(cachedFirst, recomputed));
        }
    }

    [Fact]
    public void Training_After_Inference_Mode_At_The_Same_Shape_Works()
    {
        using var model = new SwinUnetr(inChannels: 1, outChannels: 2, featureSize: 12);
        using var x = randn(new long[] { 1, 1, 32, 32, 32 });
        model.eval();
        using (var logits = SlidingWindowInference.Run(x, model.call, new SlidingWindowOptions { RoiSize = [32] })) { }

        model.train();
        using var scope = NewDisposeScope();
        var loss = model.forward(x).square().mean();
        loss.backward(); // an inference-mode mask here would fail: "Inference tensors cannot be saved for backward"
        Assert.True(model.parameters().All(p => p.grad is not null));
    }
}
