using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Core.Tests.Generators.AvsDb;

/// <summary>Cross-section area per slice of single generated shapes follows each z rule.</summary>
public class ZRuleProfileTests
{
    private static IEnumerable<long[]> Profiles(ZClassSpec z, int vertexCount, int volumes = 6)
    {
        var spec = AvsDbSpec.CodeDefault(48) with
        {
            ShapesPerVolume = 1,
            Depth = new IntRange(24, 30),
            ZClasses = [z],
            Xy = AvsDbSpec.CodeDefault(48).Xy with { VertexCounts = [vertexCount] },
        };
        var gen = new AvsDbGenerator(spec, 123);
        for (int v = 0; v < volumes; v++)
        {
            var sample = gen.Generate(v);
            var rec = sample.Manifest.Shapes.Single();
            Assert.False(rec.Dropped);
            var label = sample.Label.As<byte>();
            int n = spec.VolumeSize;
            var area = new long[rec.Size[2]]; // bounding box: slices with γ = 0 are empty and cropped
            for (int z0 = 0; z0 < rec.Size[2]; z0++)
            {
                int zv = rec.Position![2] + z0;
                for (int i = 0; i < n * n; i++) if (label[zv * n * n + i] != 0) area[z0]++;
            }
            yield return area;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void ConcaveInside_has_its_smallest_cross_section_strictly_inside(int vertices)
    {
        foreach (var area in Profiles(ZClassSpec.Hourglass(), vertices))
        {
            int argMin = Array.IndexOf(area, area.Min());
            Assert.InRange(argMin, 1, area.Length - 2);
            Assert.True(area[argMin] < area[0] && area[argMin] < area[^1], string.Join(",", area));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void ConcaveOutside_has_its_largest_cross_section_strictly_inside(int vertices)
    {
        foreach (var area in Profiles(ZClassSpec.Rhombus(), vertices))
        {
            int argMax = Array.IndexOf(area, area.Max());
            Assert.InRange(argMax, 1, area.Length - 2);
            Assert.True(area[argMax] > area[0] && area[argMax] > area[^1], string.Join(",", area));
        }
    }

    [Fact]
    public void Constant_keeps_the_same_cross_section()
    {
        foreach (var area in Profiles(ZClassSpec.Prism(), 6))
            Assert.All(area, a => Assert.Equal(area[0], a));
    }

    [Fact]
    public void Linear_rules_shrink_or_grow_monotonically()
    {
        foreach (var area in Profiles(ZClassSpec.Pyramid(), 4))
        {
            for (int z = 1; z < area.Length; z++) Assert.True(area[z] <= area[z - 1], string.Join(",", area));
            Assert.True(area[0] > 4 * area[^1]);
        }
        foreach (var area in Profiles(ZClassSpec.InvertedPyramid(), 0))
        {
            for (int z = 1; z < area.Length; z++) Assert.True(area[z] >= area[z - 1], string.Join(",", area));
            Assert.True(area[^1] > 4 * area[0]);
        }
    }
}
