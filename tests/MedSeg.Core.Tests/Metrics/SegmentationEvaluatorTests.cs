using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Metrics;

public class SegmentationEvaluatorTests
{
    /// <summary>24³ uint8 labels: class 1 a 10³ cube at (5..14)³ shifted by <paramref name="shift"/> along x; class 2 a 4³ cube at (18..21)³ unless omitted.</summary>
    private static Volume Labels(int shift, bool withClass2, double[]? spacing = null)
    {
        var v = Volume.Create<byte>(24, 24, 24, spacing);
        var data = v.As<byte>();
        for (int z = 5; z < 15; z++) for (int y = 5; y < 15; y++) for (int x = 5 + shift; x < 15 + shift; x++) data[v.Index(x, y, z)] = 1;
        if (withClass2)
            for (int z = 18; z < 22; z++) for (int y = 18; y < 22; y++) for (int x = 18; x < 22; x++) data[v.Index(x, y, z)] = 2;
        return v;
    }

    [Fact]
    public void ShiftedCube_DiceByHand_PerfectSecondClass()
    {
        var report = SegmentationEvaluator.Evaluate(Labels(2, true), Labels(0, true));

        Assert.Equal([1, 2], report.Classes.Select(c => c.Label));
        var c1 = report.Classes[0];
        Assert.Equal(1000, c1.PredictionVoxels);
        Assert.Equal(1000, c1.LabelVoxels);
        Assert.Equal(2.0 * 800 / 2000, c1.Dice, 12);
        Assert.InRange(c1.Hd95, 0, 2);
        Assert.True(c1.Assd > 0 && c1.Assd < 2);
        var c2 = report.Classes[1];
        Assert.Equal((1.0, 0.0, 0.0), (c2.Dice, c2.Assd, c2.Hd95));
        Assert.Equal((c1.Dice + 1) / 2, report.MeanDice, 12);
        Assert.Equal(c1.Hd95 / 2, report.MeanHd95, 12);
    }

    [Fact]
    public void ClassMissingFromLabel_DiceNaN_LeftOutOfMeans()
    {
        // Prediction has class 2, the label does not: Dice NaN (ignore_empty), ASSD +∞, HD95 NaN.
        var report = SegmentationEvaluator.Evaluate(Labels(0, true), Labels(0, false));

        var c2 = report.Classes.Single(c => c.Label == 2);
        Assert.Equal(64, c2.PredictionVoxels);
        Assert.Equal(0, c2.LabelVoxels);
        Assert.True(double.IsNaN(c2.Dice));
        Assert.True(double.IsPositiveInfinity(c2.Assd));
        Assert.True(double.IsNaN(c2.Hd95));
        Assert.Equal(1, report.MeanDice);                      // NaN left out
        Assert.True(double.IsPositiveInfinity(report.MeanAssd)); // +∞ kept, as MONAI's reduction does
        Assert.Equal(0, report.MeanHd95);
    }

    [Fact]
    public void ClassMissingFromPrediction_DiceZero()
    {
        var report = SegmentationEvaluator.Evaluate(Labels(0, false), Labels(0, true), new EvaluationOptions { Classes = [2] });
        var c2 = Assert.Single(report.Classes);
        Assert.Equal(0, c2.Dice);
        Assert.True(double.IsPositiveInfinity(c2.Assd));
        Assert.True(double.IsNaN(c2.Hd95));
    }

    [Fact]
    public void RequestedClassAbsentFromBoth_AllNaN()
    {
        var report = SegmentationEvaluator.Evaluate(Labels(0, false), Labels(0, false), new EvaluationOptions { Classes = [5] });
        var c = Assert.Single(report.Classes);
        Assert.True(double.IsNaN(c.Dice) && double.IsNaN(c.Assd) && double.IsNaN(c.Hd95));
        Assert.True(double.IsNaN(report.MeanDice));
    }

    [Fact]
    public void AnisotropicSpacing_ShiftAlongZ_MeasuredInMm()
    {
        var pred = Volume.Create<byte>(8, 8, 10, [1, 1, 3]);
        var label = Volume.Create<byte>(8, 8, 10, [1, 1, 3]);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) { label.As<byte>()[label.Index(x, y, 4)] = 1; pred.As<byte>()[pred.Index(x, y, 5)] = 1; }

        var c = Assert.Single(SegmentationEvaluator.Evaluate(pred, label).Classes);
        Assert.Equal(0, c.Dice);
        Assert.Equal(3, c.Assd, 12);
        Assert.Equal(3, c.Hd95, 12);
    }

    [Fact]
    public void ShapeMismatch_MessageNamesBothFiles()
    {
        var e = Assert.Throws<SegmentationMismatchException>(() => SegmentationEvaluator.Evaluate(
            Volume.Create<byte>(4, 4, 4), Volume.Create<byte>(4, 4, 5), null, "pred/case_1.nii.gz", "labels/case_1.nii.gz"));
        Assert.Contains("pred/case_1.nii.gz is 4×4×4", e.Message);
        Assert.Contains("labels/case_1.nii.gz is 4×4×5", e.Message);
    }

    [Fact]
    public void AffineMismatch_MessageNamesElementAndFiles_SmallDifferenceTolerated()
    {
        double[] a = Volume.DiagonalAffine([1, 1, 1]);
        double[] shifted = (double[])a.Clone(); shifted[3] = 0.5;
        double[] nearly = (double[])a.Clone(); nearly[3] = 1e-5;

        var e = Assert.Throws<SegmentationMismatchException>(() => SegmentationEvaluator.Evaluate(
            Volume.Create<byte>(4, 4, 4, affine: shifted), Volume.Create<byte>(4, 4, 4, affine: a), null, "p.nii", "l.nii"));
        Assert.Contains("[0,3] is 0.5 in p.nii but 0 in l.nii", e.Message);

        SegmentationEvaluator.Evaluate(Volume.Create<byte>(4, 4, 4, affine: nearly), Volume.Create<byte>(4, 4, 4, affine: a));
    }

    [Fact]
    public void SpacingMismatch_MessageNamesBothFiles()
    {
        double[] affine = Volume.DiagonalAffine([1, 1, 1]);
        var e = Assert.Throws<SegmentationMismatchException>(() => SegmentationEvaluator.Evaluate(
            Volume.Create<byte>(4, 4, 4, [1, 1, 2], affine), Volume.Create<byte>(4, 4, 4, [1, 1, 1], affine), null, "p.nii", "l.nii"));
        Assert.Equal("spacing mismatch (tolerance 0.001): p.nii has 1 × 1 × 2 mm but l.nii has 1 × 1 × 1 mm", e.Message);
    }

    [Fact]
    public void IntensityImageAsLabels_RefusedUnlessClassesGiven()
    {
        var ct = new Volume(2, 2, 2, new short[] { 0, 1200, 3000, 5, 0, 0, 0, 0 });
        var e = Assert.Throws<ArgumentException>(() => SegmentationEvaluator.Evaluate(ct, Volume.Create<short>(2, 2, 2)));
        Assert.Contains("values go up to 3000", e.Message);
        Assert.Single(SegmentationEvaluator.Evaluate(ct, Volume.Create<short>(2, 2, 2), new EvaluationOptions { Classes = [5] }).Classes);
    }

    [Fact]
    public void FractionalLabel_Throws_NamingFileVoxelAndValue()
    {
        var pred = new Volume(2, 2, 2, new float[] { 0, 1, 0, 0, 0, 0.5f, 0, 0 });
        var e = Assert.Throws<LabelValueException>(() => SegmentationEvaluator.Evaluate(pred, Volume.Create<byte>(2, 2, 2), null, "p.nii.gz"));
        Assert.Equal("p.nii.gz: voxel (1, 0, 1) holds 0.5, not an integer label", e.Message);
    }

    [Fact]
    public void EvaluateFiles_ReadsNiftiAndUsesLabelSpacing()
    {
        using var dir = new TempDirectory();
        string p = dir.File("pred.nii.gz"), l = dir.File("label.nii.gz");
        NiftiWriter.Write(Labels(1, true, [2, 2, 2]), p);
        NiftiWriter.Write(Labels(0, true, [2, 2, 2]), l);

        var report = SegmentationEvaluator.EvaluateFiles(p, l);

        Assert.Equal(0.9, report.Classes[0].Dice, 12);
        Assert.Equal(2, report.Classes[0].Hd95, 12);            // one voxel = 2 mm; HD95 ≤ HD = 2 and the shifted faces dominate
        Assert.Equal([2.0, 2, 2], report.Spacing);
    }
}
