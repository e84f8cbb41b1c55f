using MedSeg.Training.Natives;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Per-window blending weights as MONAI 1.5 computes them (<c>compute_importance_map</c> followed by the
/// clamp in <c>sliding_window_inference</c>): ones, or a separable Gaussian
/// exp(−x² / 2σ²) with x measured from the window centre ((size − 1) / 2) and σ = sigma_scale · size,
/// not rescaled (MONAI 1.5 dropped the max-1 normalisation; the weights cancel in the division anyway).
/// Every weight is then raised to at least max(min weight, 1e-3) so the accumulated weight never
/// vanishes (no 0/0 at window corners).
/// </summary>
public static class ImportanceMap
{
    /// <summary>Smallest weight MONAI allows.</summary>
    public const double MinimumWeight = 1e-3;

    public static Tensor Compute(IReadOnlyList<int> patchSize, BlendMode mode, double sigmaScale, Device? device = null)
    {
        device ??= CPU;
        using var scope = NewDisposeScope();
        Tensor map;
        if (mode == BlendMode.Constant)
        {
            map = ones(patchSize.Select(p => (long)p).ToArray(), ScalarType.Float32, device);
        }
        else
        {
            map = null!;
            for (int i = 0; i < patchSize.Count; i++)
            {
                double half = (patchSize[i] - 1) / 2.0;
                double sigma = patchSize[i] * sigmaScale;
                var x = ScalarSafe.Range(-half, half + 1, 1.0, ScalarType.Float32, device);
                var g = x.mul(x).DividedBy(-2 * sigma * sigma).exp();
                // Outer product with the axes built so far; axis i is the last one.
                map = i == 0 ? g : map.unsqueeze(-1) * g.view(Enumerable.Repeat(1L, i).Append(patchSize[i]).ToArray());
            }
        }
        double floor = Math.Max(map.min().item<float>(), MinimumWeight);
        return map.AtLeast(floor).MoveToOuterDisposeScope();
    }
}
