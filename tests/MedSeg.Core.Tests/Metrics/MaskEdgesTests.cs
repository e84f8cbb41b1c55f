using MedSeg.Core.Metrics;

namespace MedSeg.Core.Tests.Metrics;

public class MaskEdgesTests
{
    [Fact]
    public void Cube_EdgesAreItsShell()
    {
        var mask = MaskBuilder.Box(8, 8, 8, 2, 6, 2, 6, 2, 6); // 4³ cube
        var edges = MaskEdges.Of(mask, 8, 8, 8);
        Assert.Equal(64 - 8, edges.Count(e => e));              // all but the 2³ interior
        Assert.False(edges[3 + 8 * (3 + 8 * 3)]);               // interior voxel
        Assert.True(edges[2 + 8 * (3 + 8 * 3)]);                // face voxel
    }

    [Fact]
    public void MaskTouchingGridBorder_BorderVoxelsAreEdges()
    {
        var mask = Enumerable.Repeat(true, 27).ToArray();       // the whole 3³ grid
        var edges = MaskEdges.Of(mask, 3, 3, 3);
        Assert.Equal(26, edges.Count(e => e));                  // only the centre is interior
        Assert.False(edges[13]);
    }

    [Fact]
    public void EmptyMask_NoEdges() => Assert.DoesNotContain(true, MaskEdges.Of(new bool[27], 3, 3, 3));
}
