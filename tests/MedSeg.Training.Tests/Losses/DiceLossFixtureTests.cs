using MedSeg.Training.Losses;
using MedSeg.Training.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Losses;

/// <summary>Losses against values MONAI 1.5.0 itself returned (fixtures/monai/losses.safetensors).</summary>
public class DiceLossFixtureTests(ITestOutputHelper output)
{
    private static readonly string Fixture = Path.Combine(Fixtures.Directory, "losses.safetensors");

    private static (Tensor Logits, Tensor Labels, SafetensorsContent F) Load()
    {
        var f = SafetensorsFile.Read(Fixture);
        Assert.Equal(ScalarType.Float32, f["logits"].dtype);
        Assert.Equal(ScalarType.Int64, f["labels"].dtype);
        return (f["logits"], f["labels"], f);
    }

    private static double Expected(SafetensorsContent f, string key) => f[key].to(ScalarType.Float64).item<double>();

    [Theory]
    [InlineData("dice_softmax_onehot", true)]
    [InlineData("dice_softmax_onehot_nobg", false)]
    public void DiceLoss_Matches_Monai(string key, bool includeBackground)
    {
        var (logits, labels, f) = Load();
        using var _ = f;
        var loss = new DiceLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true, IncludeBackground = includeBackground });
        using var value = loss.Compute(logits, labels);
        output.WriteLine($"{key}: MONAI {Expected(f, key):R}, ours {value.item<float>():R}, |diff| {Math.Abs(Expected(f, key) - value.item<float>()):E2}");
        Assert.Equal(Expected(f, key), value.item<float>(), 1e-5);
    }

    [Fact]
    public void DiceCeLoss_Matches_Monai()
    {
        var (logits, labels, f) = Load();
        using var _ = f;
        var loss = new DiceCeLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true });
        using var value = loss.Compute(logits, labels);
        output.WriteLine($"dicece: MONAI {Expected(f, "dicece_softmax_onehot"):R}, ours {value.item<float>():R}, |diff| {Math.Abs(Expected(f, "dicece_softmax_onehot") - value.item<float>()):E2}");
        Assert.Equal(Expected(f, "dicece_softmax_onehot"), value.item<float>(), 1e-5);
    }

    [Fact]
    public void DiceLoss_Options_Follow_Monai_Formula()
    {
        // Hand-computed: one item, two classes, probabilities given directly (no activation).
        // class 0: p = [0.2, 0.6], t = [1, 0]; class 1: p = [0.8, 0.4], t = [0, 1]
        using var p = tensor(new float[] { 0.2f, 0.6f, 0.8f, 0.4f }, new long[] { 1, 2, 2 });
        using var t = tensor(new float[] { 1, 0, 0, 1 }, new long[] { 1, 2, 2 });
        const double s = 1e-5;
        double plain0 = 1 - (2 * 0.2 + s) / (1 + 0.8 + s), plain1 = 1 - (2 * 0.4 + s) / (1 + 1.2 + s);
        double sq0 = 1 - (2 * 0.2 + s) / (1 + 0.04 + 0.36 + s), sq1 = 1 - (2 * 0.4 + s) / (1 + 0.64 + 0.16 + s);
        double jac0 = 1 - (2 * 0.2 + s) / (2 * (1.8 - 0.2) + s), jac1 = 1 - (2 * 0.4 + s) / (2 * (2.2 - 0.4) + s);

        Assert.Equal((plain0 + plain1) / 2, Eval(new DiceLossOptions()), 1e-6);
        Assert.Equal(sq0 + sq1, Eval(new DiceLossOptions { SquaredPred = true, Reduction = LossReduction.Sum }), 1e-6);
        Assert.Equal((jac0 + jac1) / 2, Eval(new DiceLossOptions { Jaccard = true }), 1e-6);
        Assert.Equal(plain1, Eval(new DiceLossOptions { IncludeBackground = false }), 1e-6);

        double Eval(DiceLossOptions o)
        {
            using var v = new DiceLoss(o).Compute(p, t);
            return v.item<float>();
        }
    }

    [Fact]
    public void DiceLoss_Batch_Sums_Over_Items_Before_Dividing()
    {
        // Two items, one class: batch=true gives one Dice over both.
        using var p = tensor(new float[] { 1, 0, 0, 0 }, new long[] { 2, 1, 2 });
        using var t = tensor(new float[] { 1, 0, 1, 0 }, new long[] { 2, 1, 2 });
        const double s = 1e-5;
        using var batched = new DiceLoss(new DiceLossOptions { Batch = true }).Compute(p, t);
        using var perItem = new DiceLoss(new DiceLossOptions()).Compute(p, t);
        Assert.Equal(1 - (2 * 1 + s) / (2 + 1 + s), batched.item<float>(), 1e-6);
        Assert.Equal(((1 - (2 + s) / (2 + s)) + (1 - s / (1 + s))) / 2, perItem.item<float>(), 1e-6);
    }
}
