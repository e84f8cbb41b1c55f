using System.Globalization;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Evaluates a predicted label volume against a ground-truth label volume, one binary mask per label
/// value, with MONAI 1.5's conventions (see <see cref="ClassMetrics"/>). Distances use the label volume's
/// spacing (mm). Each class is cropped to the bounding box of prediction ∪ truth plus one voxel before
/// edges and distance transforms, as MONAI does, so small structures in large volumes stay cheap.
/// </summary>
public static class SegmentationEvaluator
{
    /// <summary>Most classes evaluated when <see cref="EvaluationOptions.Classes"/> is not given.</summary>
    public const int MaxDefaultClasses = 1000;

    public static EvaluationReport EvaluateFiles(string predictionPath, string labelPath, EvaluationOptions? options = null)
    {
        var prediction = NiftiReader.Read(predictionPath);
        var label = NiftiReader.Read(labelPath);
        return Evaluate(prediction, label, options, predictionPath, labelPath);
    }

    /// <exception cref="SegmentationMismatchException">Shapes differ, or spacings or affines differ beyond the tolerance; the message names both inputs.</exception>
    /// <exception cref="LabelValueException">A voxel holds a non-integer value.</exception>
    public static EvaluationReport Evaluate(Volume prediction, Volume label, EvaluationOptions? options = null,
        string predictionName = "prediction", string labelName = "label")
    {
        options ??= new EvaluationOptions();
        CheckSameGrid(prediction, label, options.AffineTolerance, predictionName, labelName);
        var pred = LabelMap.From(prediction, predictionName);
        var truth = LabelMap.From(label, labelName);
        var classes = options.Classes ?? DefaultClasses(pred, truth);

        var results = classes.Select(c => EvaluateClass(c, pred, truth, label, options)).ToList();
        return new EvaluationReport(predictionName, labelName, [label.SizeX, label.SizeY, label.SizeZ], label.Spacing, results,
            NanAwareMean.Of(results.Select(r => r.Dice)),
            NanAwareMean.Of(results.Select(r => r.Assd)),
            NanAwareMean.Of(results.Select(r => r.Hd95)));
    }

    internal static void CheckSameGrid(Volume a, Volume b, double tolerance, string aName, string bName)
    {
        if (a.SizeX != b.SizeX || a.SizeY != b.SizeY || a.SizeZ != b.SizeZ)
            throw new SegmentationMismatchException(
                $"shape mismatch: {aName} is {a.SizeX}×{a.SizeY}×{a.SizeZ} but {bName} is {b.SizeX}×{b.SizeY}×{b.SizeZ}");
        for (int i = 0; i < 3; i++)
            if (!(Math.Abs(a.Spacing[i] - b.Spacing[i]) <= tolerance))
                throw new SegmentationMismatchException(
                    $"spacing mismatch (tolerance {tolerance.ToString(CultureInfo.InvariantCulture)}): {aName} has "
                    + $"{string.Join(" × ", a.Spacing.Select(s => s.ToString("G9", CultureInfo.InvariantCulture)))} mm but {bName} has "
                    + $"{string.Join(" × ", b.Spacing.Select(s => s.ToString("G9", CultureInfo.InvariantCulture)))} mm");
        for (int i = 0; i < 16; i++)
            if (!(Math.Abs(a.Affine[i] - b.Affine[i]) <= tolerance))
                throw new SegmentationMismatchException(
                    $"affine mismatch (tolerance {tolerance.ToString(CultureInfo.InvariantCulture)}): element [{i / 4},{i % 4}] is "
                    + $"{a.Affine[i].ToString("G9", CultureInfo.InvariantCulture)} in {aName} but {b.Affine[i].ToString("G9", CultureInfo.InvariantCulture)} in {bName}");
    }

    private static int[] DefaultClasses(int[] pred, int[] truth)
    {
        int max = 0;
        foreach (int v in pred) if (v > max) max = v;
        foreach (int v in truth) if (v > max) max = v;
        // A largest "label" in the thousands means an intensity image was passed by mistake; evaluating
        // thousands of empty classes would take minutes and say nothing.
        if (max > MaxDefaultClasses)
            throw new ArgumentException($"values go up to {max}, more than {MaxDefaultClasses} classes: is this a label volume? Pass the classes explicitly if it is.");
        return Enumerable.Range(1, max).ToArray();
    }

    private static ClassMetrics EvaluateClass(int c, int[] pred, int[] truth, Volume grid, EvaluationOptions options)
    {
        int nx = grid.SizeX, ny = grid.SizeY, nz = grid.SizeZ;
        long p = 0, t = 0, both = 0;
        int x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
        int i = 0;
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++, i++)
                {
                    bool inP = pred[i] == c, inT = truth[i] == c;
                    if (!inP && !inT) continue;
                    if (inP) p++;
                    if (inT) t++;
                    if (inP && inT) both++;
                    if (x < x0) x0 = x; if (x > x1) x1 = x;
                    if (y < y0) y0 = y; if (y > y1) y1 = y;
                    if (z < z0) z0 = z; if (z > z1) z1 = z;
                }
        double dice = DiceCoefficient.FromCounts(both, p, t, options.IgnoreEmpty);
        if (p == 0 && t == 0) return new ClassMetrics(c, 0, 0, dice, double.NaN, double.NaN);

        var box = new VoxelBox(x0, y0, z0, x1 + 1, y1 + 1, z1 + 1).Grow(1, nx, ny, nz);
        var predMask = Crop(pred, c, grid, box);
        var truthMask = Crop(truth, c, grid, box);
        var distances = SurfaceDistances.Compute(predMask, truthMask, box.SizeX, box.SizeY, box.SizeZ, grid.Spacing);
        return new ClassMetrics(c, p, t, dice,
            SurfaceDistanceMetrics.AverageSymmetric(distances),
            SurfaceDistanceMetrics.Hausdorff(distances, options.HausdorffPercentile));
    }

    private static bool[] Crop(int[] labels, int c, Volume grid, VoxelBox box)
    {
        var mask = new bool[box.VoxelCount];
        int n = 0;
        for (int z = box.StartZ; z < box.EndZ; z++)
            for (int y = box.StartY; y < box.EndY; y++)
            {
                long row = grid.Index(0, y, z);
                for (int x = box.StartX; x < box.EndX; x++) mask[n++] = labels[row + x] == c;
            }
        return mask;
    }
}
