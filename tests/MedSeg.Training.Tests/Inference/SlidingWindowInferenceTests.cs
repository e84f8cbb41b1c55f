using MedSeg.Training.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Inference;

public class SlidingWindowInferenceTests
{
    private static Tensor Identity(Tensor x) => x.clone();

    [Fact]
    public void Constant_Mode_With_Identity_Returns_Input_Exactly()
    {
        // Small integers: every blended sum and quotient is exact in float32.
        using var image = randint(0, 50, new long[] { 2, 2, 10, 9, 12 }).to(ScalarType.Float32);
        using var result = SlidingWindowInference.Run(image, Identity,
            new SlidingWindowOptions { RoiSize = [4, 5, 6], Overlap = 0.25, SwBatchSize = 3 });
        Assert.Equal(image.dtype, result.dtype);
        Assert.Equal(0.0, TensorAssert.MaxAbsDifference(image, result));
    }

    [Fact]
    public void Gaussian_Mode_With_Identity_Returns_Input()
    {
        using var image = randn(new long[] { 1, 1, 11, 13, 9 });
        using var result = SlidingWindowInference.Run(image, Identity,
            new SlidingWindowOptions { RoiSize = [6], Overlap = 0.5, Mode = BlendMode.Gaussian, SwBatchSize = 4 });
        Assert.Equal(image.shape, result.shape);
        Assert.True(TensorAssert.MaxAbsDifference(image, result) < 1e-5);
    }

    /// <summary>Each window answers with its own start along the last axis (the image holds that coordinate).</summary>
    private static Tensor WindowStart(Tensor x) => x[.., .., 0, 0, 0].reshape(-1, 1, 1, 1, 1).expand_as(x).clone();

    private static Tensor CoordinateImage()
    {
        // 1×1×8×8×12 whose value is the index along the last axis.
        return arange(12, ScalarType.Float32).reshape(1, 1, 1, 1, 12).expand(1, 1, 8, 8, 12).contiguous();
    }

    [Fact]
    public void Constant_Mode_Averages_Overlapping_Windows()
    {
        // roi 8, overlap 0.5 → windows start at 0 and 4 along the last axis; they answer 0 and 4.
        using var image = CoordinateImage();
        using var result = SlidingWindowInference.Run(image, WindowStart, new SlidingWindowOptions { RoiSize = [8], Overlap = 0.5 });
        for (int z = 0; z < 12; z++)
        {
            float expected = z < 4 ? 0f : z < 8 ? 2f : 4f;
            Assert.Equal(expected, result[0, 0, 5, 2, z].item<float>());
        }
    }

    [Fact]
    public void Gaussian_Mode_Weights_Overlap_By_Distance_From_Window_Centres()
    {
        using var image = CoordinateImage();
        using var result = SlidingWindowInference.Run(image, WindowStart,
            new SlidingWindowOptions { RoiSize = [8], Overlap = 0.5, Mode = BlendMode.Gaussian });
        // Voxel (3, 3, 5): window 0 has local z 5, window 1 local z 1; with g(i) = exp(−(i−3.5)²/2) the shared
        // in-plane factors cancel and the value is 4·g(1)/(g(5)+g(1)) = 4 / (1 + e²).
        Assert.Equal(4 / (1 + Math.Exp(2)), result[0, 0, 3, 3, 5].item<float>(), 5);
        // Outside the overlap only one window speaks.
        Assert.Equal(0f, result[0, 0, 3, 3, 2].item<float>());
        Assert.Equal(4f, result[0, 0, 3, 3, 10].item<float>());
        // Corner voxel (0, 0, 6): both weights fall below 1e-3 and are clamped equal → plain average.
        Assert.Equal(2f, result[0, 0, 0, 0, 6].item<float>(), 5);
        // Everywhere in the overlap: (4·w1) / (w0 + w1) with w = max(g(y)g(x)g(z_local), 1e-3).
        static double G(int i) => Math.Exp(-(i - 3.5) * (i - 3.5) / 2);
        for (int y = 0; y < 8; y += 3)
            for (int x = 0; x < 8; x += 2)
                for (int z = 4; z < 8; z++)
                {
                    double w0 = Math.Max(G(y) * G(x) * G(z), 1e-3), w1 = Math.Max(G(y) * G(x) * G(z - 4), 1e-3);
                    Assert.Equal(4 * w1 / (w0 + w1), result[0, 0, y, x, z].item<float>(), 4);
                }
    }

    [Fact]
    public void Image_Smaller_Than_Roi_Is_Padded_Then_Cropped()
    {
        using var image = randn(new long[] { 1, 1, 5, 6, 7 });
        var seen = new List<Tensor>();
        Tensor Record(Tensor x)
        {
            seen.Add(x.clone().DetachFromDisposeScope());
            return x * 2;
        }
        using var result = SlidingWindowInference.Run(image, Record,
            new SlidingWindowOptions { RoiSize = [8], PaddingValue = -7, Mode = BlendMode.Gaussian });
        Assert.Equal(image.shape, result.shape);
        Assert.True(TensorAssert.MaxAbsDifference(image * 2, result) < 1e-5);
        var window = Assert.Single(seen);
        Assert.Equal(new long[] { 1, 1, 8, 8, 8 }, window.shape);
        // Padding splits as MONAI does: diff // 2 before, the rest after (D: 1 + 2, H: 1 + 1, W: 0 + 1).
        Assert.Equal(-7f, window[0, 0, 0, 3, 3].item<float>());
        Assert.Equal(-7f, window[0, 0, 7, 3, 3].item<float>());
        Assert.Equal(-7f, window[0, 0, 3, 0, 3].item<float>());
        Assert.Equal(-7f, window[0, 0, 3, 3, 7].item<float>());
        Assert.Equal(image[0, 0, 0, 0, 0].item<float>(), window[0, 0, 1, 1, 0].item<float>());
        foreach (var t in seen) t.Dispose();
    }

    [Fact]
    public void Window_Batch_Size_Does_Not_Change_The_Result()
    {
        using var image = randn(new long[] { 2, 1, 12, 10, 9 });
        using var weight = randn(new long[] { 1, 3, 1, 1, 1 });
        Tensor Model(Tensor x) => (x * weight).sin();
        var options = new SlidingWindowOptions { RoiSize = [6, 5, 4], Overlap = 0.4, Mode = BlendMode.Gaussian };
        using var one = SlidingWindowInference.Run(image, Model, options);
        using var many = SlidingWindowInference.Run(image, Model,
            new SlidingWindowOptions { RoiSize = [6, 5, 4], Overlap = 0.4, Mode = BlendMode.Gaussian, SwBatchSize = 7 });
        Assert.Equal(new long[] { 2, 3, 12, 10, 9 }, one.shape);
        Assert.True(TensorAssert.MaxAbsDifference(one, many) < 1e-6);
    }

    [Fact]
    public void Auto_Window_Batch_And_No_Grad_Path_Give_The_Same_Result()
    {
        using var image = randn(new long[] { 1, 1, 12, 10, 9 });
        using var weight = randn(new long[] { 1, 3, 1, 1, 1 });
        Tensor Model(Tensor x) => (x * weight).sin();
        var options = new SlidingWindowOptions { RoiSize = [6, 5, 4], Overlap = 0.4, Mode = BlendMode.Gaussian };
        using var one = SlidingWindowInference.Run(image, Model, options);
        using var auto = SlidingWindowInference.Run(image, Model,
            new SlidingWindowOptions { RoiSize = [6, 5, 4], Overlap = 0.4, Mode = BlendMode.Gaussian, SwBatchSize = SlidingWindowOptions.AutoSwBatch });
        Assert.InRange(SlidingWindowInference.SwBatchUsed, 1, 4);
        using var noGrad = SlidingWindowInference.Run(image, Model,
            new SlidingWindowOptions { RoiSize = [6, 5, 4], Overlap = 0.4, Mode = BlendMode.Gaussian, InferenceMode = false });
        Assert.True(TensorAssert.MaxAbsDifference(one, auto) < 1e-6);
        Assert.Equal(0, TensorAssert.MaxAbsDifference(one, noGrad));
    }

    [Fact]
    public void Predictor_Changing_Spatial_Size_Is_Rejected()
    {
        using var image = randn(new long[] { 1, 1, 8, 8, 8 });
        var ex = Assert.Throws<NotSupportedException>(() =>
            SlidingWindowInference.Run(image, x => x[.., .., ..2], new SlidingWindowOptions { RoiSize = [4] }));
        Assert.Contains("[1, 1, 2, 4, 4]", ex.Message);
    }

    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(-0.1, 1)]
    [InlineData(0.5, -1)]
    public void Bad_Options_Are_Rejected(double overlap, int swBatch)
    {
        using var image = randn(new long[] { 1, 1, 8, 8, 8 });
        Assert.Throws<ArgumentException>(() =>
            SlidingWindowInference.Run(image, Identity, new SlidingWindowOptions { RoiSize = [4], Overlap = overlap, SwBatchSize = swBatch }));
    }

    [Fact]
    public void Runs_Without_Recording_Gradients()
    {
        using var image = randn(new long[] { 1, 1, 8, 8, 8 });
        using var conv = nn.Conv3d(1, 2, 3, padding: 1);
        using var result = SlidingWindowInference.Run(image, conv.call, new SlidingWindowOptions { RoiSize = [4] });
        Assert.False(result.requires_grad);
        Assert.Equal(new long[] { 1, 2, 8, 8, 8 }, result.shape);
    }
}
