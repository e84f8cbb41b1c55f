using MedSeg.Core.Volumes;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Tests.Preprocessing;

public class GridResamplerTests
{
    [Fact]
    public void Labels_On_A_Flipped_Coarser_Grid_Land_On_The_Same_World_Positions()
    {
        // Reference: 4×2×1 voxels of 1 mm, identity. Source: 2×2×1 voxels of 2 mm along x, x axis flipped (origin at x = 3 mm... 1 mm).
        var reference = new Volume(4, 2, 1, new byte[8], [1, 1, 1], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        var source = new Volume(2, 2, 1, new byte[] { 7, 9, 7, 9 }, [2, 1, 1], [-2, 0, 0, 2.6, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        var onto = GridResampler.NearestOnto(source, reference);
        // Source voxel 0 sits at x = 2.6 mm, voxel 1 at x = 0.6 mm: reference x = 0, 1 → voxel 1 (9); x = 2, 3 → voxel 0 (7).
        Assert.Equal(new byte[] { 9, 9, 7, 7, 9, 9, 7, 7 }, (byte[])onto.Data);
        Assert.Equal(reference.Affine, onto.Affine);
        Assert.Equal(reference.Spacing, onto.Spacing);
    }

    [Fact]
    public void Outside_The_Source_Is_Background()
    {
        var reference = new Volume(3, 1, 1, new byte[3], [1, 1, 1], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        var source = new Volume(1, 1, 1, new byte[] { 4 }, [1, 1, 1], [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        Assert.Equal(new byte[] { 0, 4, 0 }, (byte[])GridResampler.NearestOnto(source, reference).Data);
    }
}
