using MedSeg.Training.FineTune;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Networks;
using MedSeg.Training.Randomness;
using MedSeg.Training.Tests.Support;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// The backbone LWI trains (its model.safetensors; heads are not part of it) loads into a segmentation network for
/// fine-tuning: encoder-only strictly, whole-network with the differing output head reported. (Swin SSL's encoder is
/// checked from a real run in <see cref="PretextRunTests"/>.)
/// </summary>
public class PretextEncoderTransferTests
{
    private static readonly Dictionary<string, string> TinyUnetr = new()
    {
        ["in_channels"] = "1", ["out_channels"] = "1", ["img_size"] = "(32, 32, 32)", ["feature_size"] = "4",
        ["hidden_size"] = "24", ["mlp_dim"] = "48", ["num_heads"] = "2",
    };

    [Fact]
    public void Lwi_Unetr_Encoder_Loads_Strictly_And_The_Reconstruction_Head_Is_Reported()
    {
        using var tmp = new TempDirectory();
        using var net = GlobalTorchRandom.Seeded(3, () => ModelFactory.Create("UNETR", TinyUnetr));
        using var objective = new LwiObjective(LwiObjective.HeadsFor(net, 2), poolAxis: 0);
        var source = new BlobSource(4, 32, 2);
        var builder = new LwiBatchBuilder(new UnlabelledCrops(source, 2, MedSeg.Training.Data.CropSize.Cube(32), 3, null), new LwiShuffleMask(2, 0.4, 16), false, 3);
        Train(net, objective, s => BatchTensors.From(builder.Build(s).ToBatch(), AxisOrder.Zyx, CPU));
        var path = Path.Combine(tmp.Path, "model.safetensors");
        ModelCheckpoint.Save(net, path, "UNETR", TinyUnetr);

        var fineTuneArgs = new Dictionary<string, string>(TinyUnetr) { ["out_channels"] = "3" };
        using var encoderOnly = GlobalTorchRandom.Seeded(9, () => ModelFactory.Create("UNETR", fineTuneArgs));
        var report = WeightInitializer.Load(encoderOnly, "UNETR", path, encoderOnly: true);
        Assert.NotEmpty(report.Loaded);
        Assert.All(report.Loaded, k => Assert.StartsWith("vit.", k));
        AssertSame(net, encoderOnly, "vit.");
        Assert.DoesNotContain(report.Loaded, k => k.Contains("order_heads"));

        using var whole = GlobalTorchRandom.Seeded(9, () => ModelFactory.Create("UNETR", fineTuneArgs));
        var wholeReport = WeightInitializer.Load(whole, "UNETR", path, encoderOnly: false);
        Assert.Equal(["out.conv.conv.bias", "out.conv.conv.weight"], wholeReport.ShapeMismatches.Select(m => m.Key).Order());
        AssertSame(net, whole, "decoder2.");
    }

    /// <summary>Two optimiser steps so the saved weights differ from any fresh initialisation.</summary>
    private static void Train(nn.Module<Tensor, Tensor> net, IMethodObjective objective, Func<long, BatchTensors> batches)
    {
        using var opt = new MedSeg.Training.Optimization.AdamW(net.parameters().Concat(objective.Heads!.parameters()), 1e-3, 0.9, 0.99, 1e-8, 0);
        for (int s = 0; s < 2; s++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            objective.Compute(net, batches(s)).Total.backward();
            opt.step();
        }
    }

    private static void AssertSame(nn.Module a, nn.Module b, string prefix)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        var keys = left.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.True(TensorAssert.Same(left[k], right[k]), $"{k} differs"));
    }
}
