using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>Post-processing of a cubic float image: separable Gaussian blur and additive Gaussian noise.</summary>
internal static class ImageFilters
{
    /// <summary>Blurs in place along x, y, z with a kernel of radius ⌈3σ⌉, edges clamped.</summary>
    public static void GaussianBlur(float[] image, int n, double sigma, float[] scratch)
    {
        if (sigma <= 0) return;
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = (float)(kernel[i] / sum);

        Pass(image, scratch, n, 1, kernel, radius);
        Pass(scratch, image, n, n, kernel, radius);
        Pass(image, scratch, n, n * n, kernel, radius);
        Array.Copy(scratch, image, n * n * n);
    }

    private static void Pass(float[] src, float[] dst, int n, int stride, float[] kernel, int radius)
    {
        int total = n * n * n;
        for (int i = 0; i < total; i++)
        {
            int coord = i / stride % n;
            int line = i - coord * stride;
            float acc = 0;
            for (int k = -radius; k <= radius; k++)
            {
                int c = Math.Clamp(coord + k, 0, n - 1);
                acc += kernel[k + radius] * src[line + c * stride];
            }
            dst[i] = acc;
        }
    }

    public static void AddNoise(float[] image, double sigma, DeterministicRandom rng)
    {
        if (sigma <= 0) return;
        for (int i = 0; i < image.Length; i++) image[i] += (float)(sigma * rng.NextGaussian());
    }
}
