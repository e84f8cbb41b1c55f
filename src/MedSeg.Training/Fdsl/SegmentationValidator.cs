using MedSeg.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// Per-class Dice of argmax predictions on held-out samples (centre crop of the training crop size).
/// Like MONAI's DiceMetric(ignore_empty=True), a class absent from a sample's labels does not count
/// for that sample; a class absent everywhere gives null.
/// </summary>
public sealed class SegmentationValidator(IVolumeSampleSource source, int sampleCount, CropSize crop, Layout.AxisOrder axisOrder = Layout.AxisOrder.Zyx)
{
    public IReadOnlyList<double?> Evaluate(nn.Module<Tensor, Tensor> model, Device device)
    {
        int classes = source.ClassCount;
        var sums = new double[classes];
        var counts = new int[classes];
        bool wasTraining = model.training;
        model.eval();
        try
        {
            int n = Math.Min(sampleCount, source.Count);
            for (int i = 0; i < n; i++)
            {
                var sample = source.Load(i);
                sample.EnsureSameShape();
                crop.EnsureFits(sample.Image.SizeX, sample.Image.SizeY, sample.Image.SizeZ, sample.Name);
                var origin = PatchExtractor.CenterOrigin(sample.Image, crop);
                var image = new float[crop.Voxels];
                var label = new long[crop.Voxels];
                PatchExtractor.CopyImage(sample.Image, origin, crop, image, 0);
                PatchExtractor.CopyLabel(sample.Label, origin, crop, label, 0, classes, sample.Name);
                long[] prediction;
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    var x = Layout.TensorLayout.FromBuffer(image, [1, 1, crop.Z, crop.Y, crop.X], axisOrder).to(device);
                    // Back to buffer order so voxel v of the prediction is voxel v of the label.
                    prediction = Layout.TensorLayout.ToBufferOrder(model.call(x).argmax(1).cpu(), axisOrder).data<long>().ToArray();
                }
                for (int c = 0; c < classes; c++)
                {
                    long inter = 0, p = 0, t = 0;
                    for (long v = 0; v < label.LongLength; v++)
                    {
                        bool pc = prediction[v] == c, tc = label[v] == c;
                        if (pc) p++;
                        if (tc) t++;
                        if (pc && tc) inter++;
                    }
                    if (t == 0) continue;
                    sums[c] += 2.0 * inter / (p + t);
                    counts[c]++;
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return Enumerable.Range(0, classes).Select(c => counts[c] == 0 ? (double?)null : sums[c] / counts[c]).ToArray();
    }
}
