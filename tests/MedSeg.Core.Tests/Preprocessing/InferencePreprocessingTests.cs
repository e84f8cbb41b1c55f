using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Preprocessing;

public class InferencePreprocessingTests
{
    // Voxel x → world −x (L, 2 mm), voxel y → world +z (S, 3 mm), voxel z → world −y (P, 2.5 mm): axes permuted and
    // flipped, anisotropic, so orientation to RAS permutes and flips and resampling to 1 mm changes every axis.
    private static readonly double[] Affine =
    [
        -2, 0, 0, 40,
        0, 0, -2.5, 7,
        0, 3, 0, -12,
        0, 0, 0, 1,
    ];

    private static readonly PreprocessingOptions Options = new() { TargetSpacing = [1, 1, 1] };

    private static bool InBlock(int x, int y, int z) => x is >= 2 and < 6 && y is >= 3 and < 6 && z is >= 1 and < 4;

    /// <summary>10×8×6 image (HU ramp) and its label: 1 inside the block x 2..5, y 3..5, z 1..3.</summary>
    private static (Volume Image, Volume Label) Case()
    {
        var image = new short[10 * 8 * 6];
        var label = new byte[image.Length];
        for (int z = 0, i = 0; z < 6; z++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 10; x++, i++)
                {
                    image[i] = (short)(i - 200);
                    label[i] = InBlock(x, y, z) ? (byte)1 : (byte)0;
                }
        return (new Volume(10, 8, 6, image, [2, 3, 2.5], Affine.ToArray()), new Volume(10, 8, 6, label, [2, 3, 2.5], Affine.ToArray()));
    }

    [Fact]
    public void Prepared_Grid_Is_Ras_At_The_Target_Spacing()
    {
        var (image, _) = Case();
        var prepared = new InferencePreprocessing(Options).Prepare(image);
        Assert.Equal("RAS", Orientation.AxisCodes(prepared.Affine));
        Assert.Equal([1.0, 1, 1], prepared.Spacing);
        // World extents: x 2·9 = 18 mm, y 2.5·5 = 12.5 mm, z 3·7 = 21 mm → 19 × round(13.5) = 14 × 22 voxels.
        Assert.Equal((19, 14, 22), (prepared.SizeX, prepared.SizeY, prepared.SizeZ));
        Assert.Equal(VoxelType.Float32, prepared.Type);
    }

    [Fact]
    public void Block_Marked_By_World_Position_On_The_Prepared_Grid_Lands_On_The_Original_Block_Voxels()
    {
        var (image, label) = Case();
        var prepared = new InferencePreprocessing(Options).Prepare(image);
        // World box of the block: its voxel centres ± half a voxel along each original axis.
        double[] lo = [double.MaxValue, double.MaxValue, double.MaxValue], hi = [double.MinValue, double.MinValue, double.MinValue];
        foreach (var (i, j, k) in new[] { (1.5, 2.5, 0.5), (5.5, 5.5, 3.5) })
        {
            var w = GeometryAssert.World(image, i, j, k);
            for (int a = 0; a < 3; a++) { lo[a] = Math.Min(lo[a], w[a]); hi[a] = Math.Max(hi[a], w[a]); }
        }
        // A "prediction" on the prepared grid computed by hand from world positions only (no resampler involved).
        var marks = new byte[prepared.VoxelCount];
        for (int z = 0, n = 0; z < prepared.SizeZ; z++)
            for (int y = 0; y < prepared.SizeY; y++)
                for (int x = 0; x < prepared.SizeX; x++, n++)
                {
                    var w = GeometryAssert.World(prepared, x, y, z);
                    if (Enumerable.Range(0, 3).All(a => w[a] > lo[a] && w[a] < hi[a])) marks[n] = 1;
                }
        var predictedOnPrepared = new Volume(prepared.SizeX, prepared.SizeY, prepared.SizeZ, marks, prepared.Spacing.ToArray(), prepared.Affine.ToArray());

        var back = InferencePreprocessing.ToOriginalGrid(predictedOnPrepared, image);

        Assert.Equal((image.SizeX, image.SizeY, image.SizeZ), (back.SizeX, back.SizeY, back.SizeZ));
        Assert.Equal(image.Affine, back.Affine);
        Assert.Equal(image.Spacing, back.Spacing);
        Assert.Equal(label.As<byte>(), back.As<byte>());
        Assert.Equal(4 * 3 * 3, back.As<byte>().Count(b => b == 1));
        Assert.Equal(1, back.As<byte>()[back.Index(2, 3, 1)]);
        Assert.Equal(1, back.As<byte>()[back.Index(5, 5, 3)]);
        Assert.Equal(0, back.As<byte>()[back.Index(6, 5, 3)]);
        Assert.Equal(0, back.As<byte>()[back.Index(2, 2, 1)]);
    }

    [Fact]
    public void Label_Prepared_Like_The_Image_Maps_Back_Exactly()
    {
        var (image, label) = Case();
        // The label through the same deterministic steps (nearest for labels), as a perfect network would predict it.
        var prepared = new PreprocessingPipeline(Options with { CropForeground = false }).Prepare(image, label);
        var back = InferencePreprocessing.ToOriginalGrid(prepared.Label!, image);
        Assert.Equal(label.As<byte>(), back.As<byte>());
        Assert.Equal(image.Affine, back.Affine);
    }

    [Fact]
    public void Foreground_Crop_Is_Never_Applied()
    {
        var (image, _) = Case();
        var withCrop = new InferencePreprocessing(Options with { CropForeground = true, IntensityMin = 100, IntensityMax = 200 });
        Assert.False(withCrop.Options.CropForeground);
        var prepared = withCrop.Prepare(image);
        Assert.Equal((19, 14, 22), (prepared.SizeX, prepared.SizeY, prepared.SizeZ));
    }

    [Fact]
    public void Non_Label_Map_Is_Refused()
    {
        var (image, _) = Case();
        var e = Assert.Throws<ArgumentException>(() => InferencePreprocessing.ToOriginalGrid(image, image));
        Assert.Contains("uint8", e.Message);
    }
}
