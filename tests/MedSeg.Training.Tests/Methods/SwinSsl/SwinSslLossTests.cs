using MedSeg.Training.Data;
using MedSeg.Training.Methods.SwinSsl;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Methods;

namespace MedSeg.Training.Tests.Methods.SwinSsl;

public class SwinSslLossTests
{
    [Fact]
    public void NtXent_Matches_The_Hand_Computed_Value()
    {
        // z = [a, b, a, b] with a ⟂ b (unnormalised inputs): each row's positive has cosine 1, its other two rows 0, so
        // every term is −log(e² / (e² + 2)) and the mean is log(1 + 2e⁻²).
        var v1 = tensor(new float[] { 3, 0, 0, 0.5f }, [2, 2]);
        var v2 = tensor(new float[] { 0.25f, 0, 0, 7 }, [2, 2]);
        double expected = Math.Log(1 + 2 * Math.Exp(-2));
        Assert.Equal(0.2395, expected, 4);
        Assert.Equal(expected, NtXentLoss.Compute(v1, v2, 0.5).item<float>(), 5);

        // B = 1, views at 90°: the positive is also the only other row, so the loss is 0 whatever the temperature.
        Assert.Equal(0, NtXentLoss.Compute(tensor(new float[] { 1, 0 }, [1, 2]), tensor(new float[] { 0, 1 }, [1, 2])).item<float>(), 6);
        // Temperature 1: same geometry, terms −log(e / (e + 2)).
        Assert.Equal(Math.Log(1 + 2 * Math.Exp(-1)), NtXentLoss.Compute(v1, v2, 1.0).item<float>(), 5);
    }

    [Fact]
    public void Rotation_And_Reconstruction_Losses_Match_Hand_Computed_Values()
    {
        // CE: logits [ln 3, 0, 0, 0] for class 0 → −log(3 / 6) = log 2; uniform logits → log 4.
        var logits = tensor(new float[] { (float)Math.Log(3), 0, 0, 0, 1, 1, 1, 1 }, [2, 4]);
        var ce = nn.functional.cross_entropy(logits, tensor(new long[] { 0, 2 }));
        Assert.Equal((Math.Log(2) + Math.Log(4)) / 2, ce.item<float>(), 5);
        // L1: |1 − 0| + |−2 − 0| + |0.5 − 0.5| + |4 − 1| over 4 = 1.5; MSE (LWI) = (1 + 4 + 0 + 9) / 4 = 3.5.
        var a = tensor(new float[] { 1, -2, 0.5f, 4 });
        var b = tensor(new float[] { 0, 0, 0.5f, 1 });
        Assert.Equal(1.5f, nn.functional.l1_loss(a, b).item<float>());
        Assert.Equal(3.5f, nn.functional.mse_loss(a, b).item<float>());
    }

    [Fact]
    public void Rotation_Matches_Torch_Rot90_In_The_Y_Z_Plane_And_Four_Turns_Are_The_Identity()
    {
        var crop = new CropSize(3, 4, 4);
        var src = Enumerable.Range(0, (int)crop.Voxels).Select(i => (float)i).ToArray();
        // Our buffer is [Z, Y, X]; MONAI's sample [X, Y, Z] rotates dims (Y, Z), i.e. rot90 over (Y, Z) = dims (1, 0) here.
        var volume = tensor(src, [4, 4, 3]);
        var current = src;
        for (int k = 1; k <= 4; k++)
        {
            var rotated = new float[src.Length];
            SwinSslViews.Rotate(src, rotated, crop, k);
            var expected = volume.rot90(k, (1, 0)).contiguous().data<float>().ToArray();
            Assert.Equal(expected, rotated);
            current = rotated;
        }
        Assert.Equal(src, current);
        Assert.Throws<ArgumentException>(() => SwinSslViews.Rotate(src, new float[48], new CropSize(4, 3, 4), 1));
    }

    [Fact]
    public void Views_Rotate_Then_Cut_Out_Deterministically()
    {
        var crop = CropSize.Cube(32);
        int n = (int)crop.Voxels, b = 3;
        var crops = Enumerable.Range(0, b * n).Select(i => (float)(i % 997) / 997f + 2f).ToArray(); // all > 1, noise is in [0, 1]
        var (inputs, targets, rotations) = SwinSslViews.Build(crops, b, crop, seed: 4, step: 9);
        Assert.Equal(2 * b * n, inputs.Length);
        Assert.Equal(2 * b, rotations.Length);
        Assert.All(rotations, r => Assert.InRange(r, 0, 3));
        for (int i = 0; i < 2 * b; i++)
        {
            var expected = new float[n];
            SwinSslViews.Rotate(crops.AsSpan(i % b * n, n), expected, crop, (int)rotations[i]);
            Assert.Equal(expected, targets.AsSpan(i * n, n).ToArray());
            // Cut-out voxels differ from the target; at most 30 % noise per inner cutout plus the outer paste.
            int changed = Enumerable.Range(0, n).Count(v => inputs[i * n + v] != targets[i * n + v]);
            Assert.InRange(changed, 0, n - 1);
        }
        Assert.Contains(Enumerable.Range(0, 2 * b * n), v => inputs[v] != targets[v] && inputs[v] is >= 0 and <= 1);
        var again = SwinSslViews.Build(crops, b, crop, seed: 4, step: 9);
        Assert.Equal(inputs, again.Inputs);
        Assert.NotEqual(inputs, SwinSslViews.Build(crops, b, crop, seed: 4, step: 10).Inputs);
    }

    [Fact]
    public void Heads_Carry_The_Research_Code_Parameter_Names_And_Shapes()
    {
        using var heads = new SwinSslHeads(768, 1);
        var shapes = heads.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(new long[] { 4, 768 }, shapes["rotation_head.weight"]);
        Assert.Equal(new long[] { 512, 768 }, shapes["contrastive_head.weight"]);
        Assert.Equal(new long[] { 384, 768, 3, 3, 3 }, shapes["conv.0.weight"]);
        Assert.Equal(new long[] { 192, 384, 3, 3, 3 }, shapes["conv.4.weight"]);
        Assert.Equal(new long[] { 96, 192, 3, 3, 3 }, shapes["conv.8.weight"]);
        Assert.Equal(new long[] { 48, 96, 3, 3, 3 }, shapes["conv.12.weight"]);
        Assert.Equal(new long[] { 48, 48, 3, 3, 3 }, shapes["conv.16.weight"]);
        Assert.Equal(new long[] { 1, 48, 1, 1, 1 }, shapes["conv.20.weight"]);
        Assert.Equal(16, shapes.Count); // 6 convs + 2 linears, weight and bias each; InstanceNorm has no affine
    }
}
