using MedSeg.Training.Natives;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Context;

/// <summary>
/// The HEATMAP task's target: 10·exp(−σ·((g0 − d0)² + (g1 − d1)²)) on a w×w grid over [−1, 1]², g0 running along the
/// map's rows and g1 along its columns (meshgrid, ij indexing), as the notebook's <c>heatmap_gen</c>.
/// </summary>
public static class HeatmapTarget
{
    public const double Sigma = 15.0;
    public const double Peak = 10.0;

    /// <param name="rowOffsets">[B] offsets along the rows (d0).</param>
    /// <param name="columnOffsets">[B] offsets along the columns (d1).</param>
    /// <returns>[B, 1, w, w].</returns>
    public static Tensor Create(Tensor rowOffsets, Tensor columnOffsets, int width = HeatNet.MapWidth, double sigma = Sigma)
    {
        using var scope = NewDisposeScope();
        var t = linspace(-1, 1, width, dtype: ScalarType.Float32, device: rowOffsets.device);
        var g = meshgrid([t, t], indexing: "ij");
        var d0 = rowOffsets.to(ScalarType.Float32).view(-1, 1, 1, 1);
        var d1 = columnOffsets.to(ScalarType.Float32).view(-1, 1, 1, 1);
        var squared = g[0].Minus(d0).square().Plus(g[1].Minus(d1).square());
        return squared.Times(-sigma).exp().Times(Peak).MoveToOuterDisposeScope();
    }
}
