using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.FineTune;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.VolumeFusion;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.FineTune;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods.VolumeFusion;

/// <summary>
/// A VolF-pretrained PCT-Net enters the downstream loop: whole-network and encoder-only init from the run, fine-tuning,
/// and sliding-window evaluation with a window that respects PCT-Net's input multiple.
/// </summary>
[Collection(SerialCollection.Name)]
public class VolfDownstreamTests
{
    private static readonly Dictionary<string, string> TinyPct = new()
    {
        ["feature_chns"] = "[4, 4, 8, 8, 8]", ["num_heads"] = "[1, 1, 1]", ["window_sizes"] = "[4, 2, 2]", ["input_size"] = "[16, 32, 32]",
    };

    [Fact]
    public void Volf_pretrained_PCTNet_fine_tunes_on_the_phantom_benchmark_and_is_evaluated_by_sliding_window()
    {
        using var tmp = new TempDirectory();
        var pre = VolfRunTests.TinyOptions(tmp.File("pre")) with { Steps = 4, ValidationEvery = 0, CheckpointEvery = 4 };
        Assert.Equal(RunStatus.Completed, MethodCatalog.Default.Get("volf").Prepare(pre).Train().State);

        var dataset = TinyPhantomDataset.Create(tmp.Path);
        foreach (bool encoderOnly in new[] { false, true })
        {
            var o = TinyPhantomDataset.Options(dataset, tmp.File(encoderOnly ? "ft-enc" : "ft")).Build(steps: 4, init: "run:" + pre.OutputDir, encoderOnly: encoderOnly);
            o.Model = "PCTNet";
            o.ModelArgs = new(TinyPct);
            o.ValidationEvery = 4;
            var result = new FineTuneTrainer(o).Run();
            Assert.Equal(RunStatus.Completed, result.Training.State);
            Assert.NotNull(result.Init);
            // Same structure; only the class heads differ (5 fusion classes vs 6 phantom labels) and are left initialised.
            Assert.All(result.Init!.ShapeMismatches, m => Assert.Contains("out_conv", m.Key));
            Assert.DoesNotContain(result.Init.Missing, k => !k.Contains("out_conv") && (!encoderOnly || k.StartsWith("embeddings.") || k.StartsWith("pyramid_ct.convtrans_")));
            Assert.Contains(result.Init.Loaded, k => k.StartsWith("pyramid_ct.convtrans_e2.trans.blocks.1.attn."));
            Assert.Equal(encoderOnly, result.Init.Loaded.All(k => !k.StartsWith("pred_heads.")));
            Assert.DoesNotContain(result.Init.Loaded, k => k.Contains("out_conv") && k.Contains(".conv.2."));
            var c = Assert.Single(result.Evaluation!.Cases);
            Assert.All(c.Classes, s => Assert.InRange(s.Dice, 0, 1));
            Assert.Contains("PCTNet(", File.ReadAllText(new RunFolder(o.OutputDir).ConfigPath));
        }

        // A patch off PCT-Net's multiple (16 for a cube) is refused by name before anything runs.
        var bad = TinyPhantomDataset.Options(dataset, tmp.File("bad")).Build();
        bad.Model = "PCTNet";
        bad.PatchSize = 24;
        Assert.Contains("must be a multiple of 16 for PCTNet", Assert.ThrowsAny<Exception>(() => bad.Validate()).Message);
    }
}
