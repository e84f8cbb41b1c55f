using MedSeg.Training.Natives;
using static TorchSharp.torch;

namespace MedSeg.Training.Losses;

/// <summary>
/// Deep supervision as MIS-FM trains PCT-Net (PyMIC DeepSuperviseLoss, mode 2): the base loss on every output, the
/// one-hot target average-pooled (adaptive) to each output's size, weighted 1/2^i and divided by the weights' sum.
/// </summary>
public sealed class DeepSupervisionLoss
{
    public DeepSupervisionLoss(ISegmentationLoss baseLoss, IReadOnlyList<double>? weights = null)
    {
        BaseLoss = baseLoss ?? throw new ArgumentNullException(nameof(baseLoss));
        if (weights is not null && (weights.Count == 0 || weights.Any(w => !(w >= 0)) || !(weights.Sum() > 0)))
            throw new ArgumentException($"DeepSupervisionLoss: weights must be non-negative with a positive sum, got [{string.Join(", ", weights)}].");
        Weights = weights;
    }

    public ISegmentationLoss BaseLoss { get; }

    /// <summary>Explicit weights; null = 1/2^i for i = 0..outputs−1.</summary>
    public IReadOnlyList<double>? Weights { get; }

    public static double[] HalvingWeights(int count) => [.. Enumerable.Range(0, count).Select(i => Math.Pow(0.5, i))];

    /// <param name="outputs">logits, full resolution first, then coarser ones.</param>
    /// <param name="target">[B, 1, …] class indices or [B, C, …] one-hot at full resolution.</param>
    public Tensor Compute(IReadOnlyList<Tensor> outputs, Tensor target) =>
        ComputeTerms(outputs, target, (output, gt) => [BaseLoss.Compute(output, gt)])[0];

    /// <summary>
    /// Deep supervision of several loss terms at once (e.g. Dice and CE reported apart): <paramref name="terms"/> gives the
    /// terms of one output against its pooled target; each term is weighted over the outputs as <see cref="Compute"/> does.
    /// </summary>
    public Tensor[] ComputeTerms(IReadOnlyList<Tensor> outputs, Tensor target, Func<Tensor, Tensor, Tensor[]> terms)
    {
        if (outputs.Count == 0) throw new ArgumentException("DeepSupervisionLoss: no outputs.");
        var weights = Weights ?? HalvingWeights(outputs.Count);
        if (weights.Count != outputs.Count)
            throw new ArgumentException($"DeepSupervisionLoss: {weights.Count} weights for {outputs.Count} outputs.");
        using var scope = NewDisposeScope();
        var soft = PymicDiceCeLoss.SoftTarget(target, outputs[0].shape[1], outputs[0].dtype);
        Tensor[]? sums = null;
        for (int i = 0; i < outputs.Count; i++)
        {
            var spatial = outputs[i].shape[2..];
            var gt = soft.shape[2..].SequenceEqual(spatial) ? soft : nn.functional.adaptive_avg_pool3d(soft, spatial);
            var values = terms(outputs[i], gt);
            if (sums is null) sums = [.. values.Select(v => v.Times(weights[i]))];
            else for (int t = 0; t < sums.Length; t++) sums[t] = sums[t].Plus(values[t].Times(weights[i]));
        }
        double total = weights.Sum();
        return [.. sums!.Select(s => s.DividedBy(total).MoveToOuterDisposeScope())];
    }
}
