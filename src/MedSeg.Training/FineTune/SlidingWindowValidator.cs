using MedSeg.Core.Metrics;
using MedSeg.Training.Inference;
using static TorchSharp.torch;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Validation during fine-tuning: whole-volume sliding-window inference (roi = patch, gaussian blending) on each
/// prepared validation case, per-class Dice of the argmax against its label (MONAI conventions via
/// <see cref="DiceCoefficient"/>: a class absent from a case's label does not count for it), averaged over cases.
/// </summary>
public sealed class SlidingWindowValidator(IReadOnlyList<PreparedCase> cases, int classCount, int[] roi, double overlap,
    Layout.AxisOrder axisOrder = Layout.AxisOrder.Zyx)
{
    public IReadOnlyList<double?> Evaluate(nn.Module<Tensor, Tensor> model, Device device)
    {
        var sums = new double[classCount];
        var counts = new int[classCount];
        var predictor = new VolumePredictor(model, Options(roi, overlap, device), axisOrder);
        foreach (var c in cases)
        {
            var prediction = predictor.PredictLabels(c.Sample.Image);
            var label = c.Sample.Label!;
            var inter = new long[classCount];
            var p = new long[classCount];
            var t = new long[classCount];
            var pred = (byte[])prediction.Data;
            for (long i = 0; i < pred.LongLength; i++)
            {
                int pc = pred[i], tc = (int)label.GetDouble(i);
                if (pc < classCount) p[pc]++;
                if (tc >= 0 && tc < classCount) t[tc]++;
                if (pc == tc && pc < classCount) inter[pc]++;
            }
            for (int k = 0; k < classCount; k++)
            {
                double d = DiceCoefficient.FromCounts(inter[k], p[k], t[k]);
                if (double.IsNaN(d)) continue;
                sums[k] += d;
                counts[k]++;
            }
        }
        return Enumerable.Range(0, classCount).Select(k => counts[k] == 0 ? (double?)null : sums[k] / counts[k]).ToArray();
    }

    /// <summary>MONAI's fine-tuning inferer: roi = training patch, overlap 0.5, gaussian importance.</summary>
    public static SlidingWindowOptions Options(int[] roi, double overlap, Device device) => new()
    {
        RoiSize = [roi[2], roi[1], roi[0]], // tensors are (Z, Y, X)
        Overlap = overlap,
        Mode = BlendMode.Gaussian,
        ComputeDevice = device,
        OutputDevice = CPU,
    };
}
