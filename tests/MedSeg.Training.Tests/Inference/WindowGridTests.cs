using MedSeg.Training.Inference;

namespace MedSeg.Training.Tests.Inference;

/// <summary>Window starts against lists derived by hand from MONAI's _get_scan_interval / dense_patch_slices.</summary>
public class WindowGridTests
{
    private static string Format(IEnumerable<int[]> starts) => string.Join(" ", starts.Select(s => $"({string.Join(",", s)})"));

    [Theory]
    // interval int(4·0.75)=3; windows reach the end at step 2 → 0,3,6 (6+4=10 fits exactly).
    [InlineData(new[] { 10 }, new[] { 4 }, 0.25, "(0) (3) (6)")]
    // interval 32; step 1 ends at 96 → two windows.
    [InlineData(new[] { 96 }, new[] { 64 }, 0.5, "(0) (32)")]
    // interval 48; step 1 would end at 112 > 100, pulled back to 100−64=36.
    [InlineData(new[] { 100 }, new[] { 64 }, 0.25, "(0) (36)")]
    // int(5·(1−0.9)) = int(0.4999…) = 0 → interval 1.
    [InlineData(new[] { 7 }, new[] { 5 }, 0.9, "(0) (1) (2)")]
    // roi equal to the image: one window.
    [InlineData(new[] { 5 }, new[] { 5 }, 0.5, "(0)")]
    // 2D, first axis slowest: axis 0 → 0,2; axis 1 → 0,2 then 4 pulled back to 3.
    [InlineData(new[] { 6, 7 }, new[] { 4, 4 }, 0.5, "(0,0) (0,2) (0,3) (2,0) (2,2) (2,3)")]
    // The blending example: only the last axis has two windows.
    [InlineData(new[] { 8, 8, 12 }, new[] { 8, 8, 8 }, 0.5, "(0,0,0) (0,0,4)")]
    // 3D with all axes split: 2 × 1 × 3 windows.
    [InlineData(new[] { 12, 8, 20 }, new[] { 8, 8, 8 }, 0.5, "(0,0,0) (0,0,4) (0,0,8) (0,0,12) (4,0,0) (4,0,4) (4,0,8) (4,0,12)")]
    public void Starts_Match_Monai_Dense_Patch_Slices(int[] image, int[] roi, double overlap, string expected)
    {
        var intervals = WindowGrid.ScanIntervals(image, roi, overlap);
        Assert.Equal(expected, Format(WindowGrid.DensePatchStarts(image, roi, intervals)));
    }

    [Fact]
    public void Scan_Interval_Is_Whole_Roi_When_Roi_Fills_The_Axis()
    {
        Assert.Equal(new[] { 8, 4, 1 }, WindowGrid.ScanIntervals([8, 10, 3], [8, 8, 1], 0.5));
    }

    [Fact]
    public void Window_Larger_Than_Image_Is_Rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => WindowGrid.DensePatchStarts([4], [8], [8]));
        Assert.Contains("pad", ex.Message);
    }
}
