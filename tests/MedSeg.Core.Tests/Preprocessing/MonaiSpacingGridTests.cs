using MedSeg.Core.Nifti;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;
using MedSeg.Training.Tests;
using Xunit.Abstractions;

namespace MedSeg.Core.Tests.Preprocessing;

/// <summary>
/// MONAI's Spacingd anchors its output grid at an input corner only when that corner is the minimum along every new axis
/// to 1e-8 voxels; otherwise it centres the grid on the input. Checked against MONAI's own output for an oblique,
/// permuted, anisotropic scan (tests/fixtures/monai/conventions/oblique_*, see the README there).
/// </summary>
public class MonaiSpacingGridTests(ITestOutputHelper output)
{
    private static Volume Read(string name) => NiftiReader.Read(Path.Combine(Fixtures.Conventions, name));

    [Fact]
    public void Oblique_Permuted_Scan_Matches_Monais_Centred_Grid_Image_And_Labels()
    {
        var image = Read("oblique_image.nii.gz");
        var label = Read("oblique_label.nii.gz");
        var monaiImage = Read("oblique_monai_image.nii.gz");
        var monaiLabel = Read("oblique_monai_label.nii.gz");
        Assert.Equal((19, 35, 24), (image.SizeX, image.SizeY, image.SizeZ));
        Assert.NotEqual("RAS", Orientation.AxisCodes(image.Affine));

        // LoadImaged → Orientationd(RAS) → Spacingd((1.5, 1.5, 2.0), bilinear / nearest) → ScaleIntensityRanged(−175, 250 → 0, 1, clip).
        var options = PreprocessingOptions.Default with { CropForeground = false };
        var prepared = new PreprocessingPipeline(options).Prepare(image, label);

        Assert.Equal((monaiImage.SizeX, monaiImage.SizeY, monaiImage.SizeZ), (prepared.Image.SizeX, prepared.Image.SizeY, prepared.Image.SizeZ));
        double affineDiff = Enumerable.Range(0, 16).Max(i => Math.Abs(prepared.Image.Affine[i] - monaiImage.Affine[i]));
        double imageDiff = 0;
        var ours = prepared.Image.As<float>();
        var theirs = monaiImage.As<float>();
        for (int i = 0; i < ours.Length; i++) imageDiff = Math.Max(imageDiff, Math.Abs(ours[i] - theirs[i]));
        var ourLabels = prepared.Label!.As<byte>();
        var monaiLabels = monaiLabel.As<byte>();
        int same = 0;
        for (int i = 0; i < ourLabels.Length; i++) if (ourLabels[i] == monaiLabels[i]) same++;
        output.WriteLine($"shape {prepared.Image.SizeX}×{prepared.Image.SizeY}×{prepared.Image.SizeZ}; affine max diff {affineDiff:E2}; "
                         + $"image max diff {imageDiff:E2}; labels agree {same} / {ourLabels.Length}");

        Assert.True(affineDiff < 1e-4, $"affine differs from MONAI's by {affineDiff:E2}");
        Assert.True(imageDiff < 1e-4, $"image differs from MONAI's by {imageDiff:E2}");
        Assert.True(same == ourLabels.Length, $"labels agree on {same} of {ourLabels.Length} voxels");
        Assert.True(monaiLabels.Distinct().Count() == 3, "the fixture's labels should hold 0..2");

        // The fixture is the case the rule is about: MONAI's origin is no input corner (0.8 mm from the nearest one).
        double nearestCorner = double.MaxValue;
        var origin = new[] { monaiImage.Affine[3], monaiImage.Affine[7], monaiImage.Affine[11] };
        var ras = Orientation.ToRas(image);
        foreach (var i in new[] { 0, ras.SizeX - 1 })
            foreach (var j in new[] { 0, ras.SizeY - 1 })
                foreach (var k in new[] { 0, ras.SizeZ - 1 })
                {
                    var w = AffineMath.VoxelToWorld(ras.Affine, i, j, k);
                    nearestCorner = Math.Min(nearestCorner, Math.Sqrt(Enumerable.Range(0, 3).Sum(d => (w[d] - origin[d]) * (w[d] - origin[d]))));
                }
        Assert.True(nearestCorner > 0.5, $"MONAI's origin lies {nearestCorner:F3} mm from an input corner: the fixture does not exercise the centred rule");
    }

    [Theory]
    [InlineData(-1e-13, true)]  // rounding-level skew: corner (0, 0, 0) is the minimum within 1e-8 voxels
    [InlineData(-1e-6, false)]  // a skew of 1e-6 mm (a float32 sform's rounding) already fails MONAI's check: centred grid
    public void A_Corner_Anchors_The_Grid_Only_Within_Monais_Tolerance(double skew, bool anchored)
    {
        // The new grid keeps the input's rotation (shear dropped), so only non-orthogonal columns leave no single minimum
        // corner: with a negative skew, corner (0, N−1, 0) lies below corner (0, 0, 0) along the new x axis.
        double[] affine = [1.2, skew, 0, -20, 0, 0.9, 0, 30, 0, 0, 3.0, 5, 0, 0, 0, 1];
        var volume = new Volume(30, 25, 9, new float[30 * 25 * 9], [1.2, 0.9, 3.0], affine);

        var (shape, outAffine) = Resampler.OutputGeometry(volume, [1.5, 1.5, 2.0]);

        Assert.Equal([24, 15, 13], shape); // round(29·1.2/1.5 + 1), round(24·0.9/1.5 + 1), round(8·3/2 + 1)
        var origin = new[] { outAffine[3], outAffine[7], outAffine[11] };
        if (anchored)
        {
            Assert.Equal([-20.0, 30.0, 5.0], origin.Select(v => Math.Round(v, 9)).ToArray());
        }
        else
        {
            // A_out·(m / 2) = A_in·(n / 2): the grids share their centre (MONAI halves the shapes, not the extents).
            var outCentre = AffineMath.VoxelToWorld(outAffine, shape[0] / 2.0, shape[1] / 2.0, shape[2] / 2.0);
            var inCentre = AffineMath.VoxelToWorld(affine, 15, 12.5, 4.5);
            for (int d = 0; d < 3; d++) Assert.Equal(inCentre[d], outCentre[d], 9);
            Assert.Equal(5.5, origin[2], 9); // 4.5·3 + 5 − 6.5·2, not the corner's 5
        }
    }
}
