using MedSeg.Training.Losses;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Methods.VolumeFusion;

/// <summary>PyMIC Dice + CE and MIS-FM deep supervision against values worked out by hand.</summary>
public class VolfLossTests
{
    private static double Dice(double intersect, double y, double p) => (2 * intersect + 1e-5) / (y + p + 1e-5);
    private static double Ce(double p) => -Math.Log(0.999 * p + 5e-4);

    /// <summary>Two voxels: softmax (0.25, 0.75) labelled 1 and (0.5, 0.5) labelled 0.</summary>
    private static double ExpectedTwoVoxels(out double diceLoss, out double ce)
    {
        double dice0 = Dice(0.5, 1, 0.75), dice1 = Dice(0.75, 1, 1.25);
        diceLoss = ((1 - dice0) + (1 - dice1)) / 2;
        ce = (Ce(0.75) + Ce(0.5)) / 2;
        return 0.5 * diceLoss + 0.5 * ce;
    }

    [Fact]
    public void Dice_plus_ce_matches_the_hand_computed_value_and_flattens_the_whole_batch()
    {
        double expected = ExpectedTwoVoxels(out double diceLoss, out double ce);
        var loss = new PymicDiceCeLoss();
        float l3 = (float)Math.Log(3);

        // One sample with two voxels along W.
        using var logits = tensor(new float[] { 0, 0, l3, 0 }, [1, 2, 1, 1, 2]);
        using var labels = tensor(new long[] { 1, 0 }, [1, 1, 1, 1, 2]);
        var (d, c) = loss.Terms(logits, labels);
        Assert.Equal(diceLoss, d.item<float>(), 5);
        Assert.Equal(ce, c.item<float>(), 5);
        Assert.Equal(expected, loss.Compute(logits, labels).item<float>(), 5);

        // The same two voxels as a batch of two one-voxel samples: PyMIC pools the batch, so the value is identical.
        using var batchLogits = tensor(new float[] { 0, l3, 0, 0 }, [2, 2, 1, 1, 1]);
        using var batchLabels = tensor(new long[] { 1, 0 }, [2, 1, 1, 1, 1]);
        Assert.Equal(expected, loss.Compute(batchLogits, batchLabels).item<float>(), 5);

        // A one-hot target gives the same as class indices.
        using var oneHot = tensor(new float[] { 0, 1, 1, 0 }, [1, 2, 1, 1, 2]);
        Assert.Equal(expected, loss.Compute(logits, oneHot).item<float>(), 5);
    }

    [Fact]
    public void Deep_supervision_pools_the_one_hot_target_and_weights_outputs_by_halves()
    {
        // Full output 1×2×2 with zero logits (p = 0.5) and labels [[1, 0], [0, 0]]; coarse output 1×1×1, zero logits.
        using var full = zeros([1, 2, 1, 2, 2]);
        using var coarse = zeros([1, 2, 1, 1, 1]);
        using var labels = tensor(new long[] { 1, 0, 0, 0 }, [1, 1, 1, 2, 2]);
        double ceHalf = Ce(0.5);
        double lossFull = 0.5 * ((1 - Dice(1.5, 3, 2)) + (1 - Dice(0.5, 1, 2))) / 2 + 0.5 * ceHalf;
        // Pooled target at 1×1×1: (0.75, 0.25); CE of a soft target = −Σ y log p = −log 0.5 when p = 0.5.
        double lossCoarse = 0.5 * ((1 - Dice(0.375, 0.75, 0.5)) + (1 - Dice(0.125, 0.25, 0.5))) / 2 + 0.5 * ceHalf;
        double expected = (1.0 * lossFull + 0.5 * lossCoarse) / 1.5;

        var ds = new DeepSupervisionLoss(new PymicDiceCeLoss());
        Assert.Equal(expected, ds.Compute([full, coarse], labels).item<float>(), 5);
        Assert.Equal([1.0, 0.5, 0.25, 0.125], DeepSupervisionLoss.HalvingWeights(4));
        Assert.Throws<ArgumentException>(() => new DeepSupervisionLoss(new PymicDiceCeLoss(), [0, 0]));
        Assert.Throws<ArgumentException>(() => new DeepSupervisionLoss(new PymicDiceCeLoss(), [1.0]).Compute([full, coarse], labels));
    }

    [Fact]
    public void A_perfect_prediction_has_near_zero_dice_loss_and_an_absent_class_counts_as_dice_one()
    {
        // Class 2 is absent from target and prediction: (0 + 1e-5) / (0 + ~0 + 1e-5) ≈ 1, so it adds no loss (PyMIC).
        using var logits = tensor(new float[] { 30, -30, -30, 30, -30, -30 }, [1, 3, 1, 1, 2]);
        using var labels = tensor(new long[] { 0, 1 }, [1, 1, 1, 1, 2]);
        var (d, _) = new PymicDiceCeLoss().Terms(logits, labels);
        Assert.InRange(d.item<float>(), 0, 1e-4);
    }
}

/// <summary>The Volume Fusion objective supervises every PCT-Net output, and only the main one of other networks.</summary>
[Collection(Support.SerialCollection.Name)]
public class VolfObjectiveTests
{
    [Fact]
    public void Objective_uses_deep_supervision_for_multiscale_PCTNet_and_plain_dice_ce_otherwise()
    {
        using var scope = NewDisposeScope();
        using var multi = new MedSeg.Training.Networks.Nets.PctNet(1, 3, [8, 16, 16], [4, 4, 8, 8, 8], heads: [1, 1, 1], windows: [2, 2, 2],
            resolutionMode: 1, multiscalePred: true);
        multi.eval();
        var images = randn([1, 1, 8, 16, 16]);
        var labels = randint(0, 3, [1, 1, 8, 16, 16], dtype: ScalarType.Int64);
        var batch = new MedSeg.Training.Methods.BatchTensors(images, labels, new Dictionary<string, Tensor>());
        using var objective = new MedSeg.Training.Methods.VolumeFusion.VolfObjective();
        Assert.Null(objective.Heads);

        var expected = new DeepSupervisionLoss(new PymicDiceCeLoss()).Compute(multi.ForwardMultiscale(images), labels).item<float>();
        var mainOnly = new PymicDiceCeLoss().Compute(multi.forward(images), labels).item<float>();
        Assert.Equal(expected, objective.Compute(multi, batch).Total.item<float>(), 6);
        Assert.NotEqual(mainOnly, expected);

        using var single = new MedSeg.Training.Networks.Nets.PctNet(1, 3, [8, 16, 16], [4, 4, 8, 8, 8], heads: [1, 1, 1], windows: [2, 2, 2], resolutionMode: 1);
        single.eval();
        Assert.Equal(new PymicDiceCeLoss().Compute(single.forward(images), labels).item<float>(), objective.Compute(single, batch).Total.item<float>(), 6);
    }
}
