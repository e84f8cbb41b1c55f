using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Core.Tests.Generators.AvsDb;

public class AvsDbGeneratorTests
{
    [Fact]
    public void Labels_hold_only_class_ids_in_range_and_several_classes_appear()
    {
        var spec = AvsDbTestSpecs.Code48();
        var gen = new AvsDbGenerator(spec, 7);
        var seen = new HashSet<int>();
        for (int v = 0; v < 4; v++)
        {
            var sample = gen.Generate(v);
            Assert.Equal(48, sample.Label.SizeX);
            foreach (byte l in sample.Label.As<byte>())
            {
                Assert.InRange(l, 0, spec.ClassCount);
                seen.Add(l);
            }
            foreach (var rec in sample.Manifest.Shapes)
            {
                Assert.InRange(rec.ClassId, 1, spec.ClassCount);
                Assert.Equal(spec.ClassId(rec.XyIndex, rec.ZIndex), rec.ClassId);
                Assert.Equal(spec.Xy.VertexCounts[rec.XyIndex], rec.VertexCount);
                Assert.Equal(spec.ZClasses[rec.ZIndex].Rule, rec.ZRule);
            }
        }
        Assert.Contains(0, seen);
        Assert.True(seen.Count >= 10, $"only {seen.Count} distinct labels in 4 volumes");
    }

    [Fact]
    public void Placement_respects_overlap_limit_and_manifest_replays_to_the_same_label_map()
    {
        var spec = AvsDbTestSpecs.Code48() with { ShapesPerVolume = 30, OverlapLimit = 0.4 };
        var gen = new AvsDbGenerator(spec, 11);
        int checkedShapes = 0;
        bool anyOverlap = false;
        for (int v = 0; v < 3; v++)
        {
            var sample = gen.Generate(v);
            var (_, replayed) = AvsDbTestSpecs.Replay(spec, sample.Manifest, (rec, shared, own) =>
            {
                double ratio = (double)shared / own;
                Assert.Equal(rec.OverlapRatio!.Value, ratio, 12);
                Assert.True(ratio < spec.OverlapLimit, $"overlap {ratio} >= {spec.OverlapLimit}");
                anyOverlap |= shared > 0;
                checkedShapes++;
            });
            Assert.Equal(replayed, sample.Label.As<byte>());
            Assert.Equal(sample.Manifest.ShapesPlaced, sample.Manifest.Shapes.Count(s => !s.Dropped));
        }
        Assert.True(checkedShapes > 30);
        Assert.True(anyOverlap, "no shape overlapped another; the limit was never exercised");
    }

    [Fact]
    public void Shapes_are_placed_largest_first_and_smaller_shapes_own_shared_voxels()
    {
        var spec = AvsDbTestSpecs.Code48() with { ShapesPerVolume = 25, OverlapLimit = 0.9 };
        var sample = new AvsDbGenerator(spec, 3).Generate(0);
        var shapes = sample.Manifest.Shapes;
        for (int k = 1; k < shapes.Count; k++) Assert.True(shapes[k - 1].VoxelCount >= shapes[k].VoxelCount);

        // Per voxel: every placed shape covering it; the label must be the class of the smallest one.
        int n = spec.VolumeSize;
        var smallest = new long[n * n * n];
        Array.Fill(smallest, long.MaxValue);
        var coverCount = new int[n * n * n];
        var classesAtSmallest = new Dictionary<int, HashSet<int>>();
        var rasterizer = new ShapeRasterizer();
        foreach (var rec in shapes.Where(s => !s.Dropped))
        {
            using var r = rasterizer.Rasterize(rec.Geometry, 0);
            var p = rec.Position!;
            for (int z = 0; z < r.SizeZ; z++)
                for (int y = 0; y < r.SizeY; y++)
                    for (int x = 0; x < r.SizeX; x++)
                    {
                        if (r.Box[x + r.SizeX * (y + r.SizeY * z)] == 0) continue;
                        int i = p[0] + x + n * (p[1] + y + n * (p[2] + z));
                        coverCount[i]++;
                        if (rec.VoxelCount < smallest[i]) { smallest[i] = rec.VoxelCount; classesAtSmallest[i] = [rec.ClassId]; }
                        else if (rec.VoxelCount == smallest[i]) classesAtSmallest[i].Add(rec.ClassId);
                    }
        }
        var label = sample.Label.As<byte>();
        int shared = 0;
        for (int i = 0; i < label.Length; i++)
        {
            if (coverCount[i] == 0) { Assert.Equal(0, label[i]); continue; }
            Assert.Contains(label[i], classesAtSmallest[i]);
            if (coverCount[i] > 1) shared++;
        }
        Assert.True(shared > 0, "no voxel is shared by two shapes");
    }

    [Fact]
    public void Shapes_that_cannot_be_placed_are_dropped_and_recorded()
    {
        // Big prisms in a small volume with a strict overlap limit: only a few fit.
        var spec = AvsDbSpec.CodeDefault(32) with
        {
            ShapesPerVolume = 12,
            OverlapLimit = 0.05,
            MaxPlacementAttempts = 20,
            Depth = new IntRange(28, 30),
            ZClasses = [ZClassSpec.Prism()],
            Xy = new XyClassSpec { VertexCounts = [4], PolygonBoxSide = new IntRange(28, 30), PolygonMinRadius = 12 },
        };
        var sample = new AvsDbGenerator(spec, 5).Generate(0);
        var dropped = sample.Manifest.Shapes.Where(s => s.Dropped).ToList();
        Assert.NotEmpty(dropped);
        Assert.Equal(dropped.Count, sample.Manifest.ShapesDropped);
        Assert.All(dropped, d =>
        {
            Assert.Null(d.Position);
            Assert.Null(d.OverlapRatio);
            Assert.False(string.IsNullOrEmpty(d.DropReason));
            Assert.True(d.Attempts == 20 || d.DropReason!.Contains("larger"), d.DropReason);
        });
        var (_, replayed) = AvsDbTestSpecs.Replay(spec, sample.Manifest);
        Assert.Equal(replayed, sample.Label.As<byte>());
    }

    [Fact]
    public void Shapes_larger_than_the_volume_are_dropped_with_a_reason()
    {
        var spec = new AvsDbSpec { VolumeSize = 16, ShapesPerVolume = 3, Depth = new IntRange(20, 20), ZClasses = [ZClassSpec.Prism()] };
        var sample = new AvsDbGenerator(spec, 1).Generate(0);
        Assert.All(sample.Manifest.Shapes, s => { Assert.True(s.Dropped); Assert.Contains("larger than", s.DropReason); });
        Assert.All(sample.Label.As<byte>(), l => Assert.Equal(0, l));
    }

    [Fact]
    public void Same_seed_and_index_give_identical_volumes_whatever_the_thread()
    {
        var spec = AvsDbTestSpecs.Code48() with { Image = new AvsDbImageSpec { NoiseSigma = 5, BlurSigma = 0.8 } };
        var a = new AvsDbGenerator(spec, 99);
        var b = new AvsDbGenerator(spec, 99);
        var sequential = Enumerable.Range(0, 6).Select(a.Generate).ToArray();
        var parallel = new AvsDbSample[6];
        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[5 - i] = b.Generate(5 - i));
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(sequential[i].Image.As<float>(), parallel[i].Image.As<float>());
            Assert.Equal(sequential[i].Label.As<byte>(), parallel[i].Label.As<byte>());
        }
        Assert.NotEqual(sequential[0].Label.As<byte>(), sequential[1].Label.As<byte>());
        var other = new AvsDbGenerator(spec, 100).Generate(0);
        Assert.NotEqual(sequential[0].Label.As<byte>(), other.Label.As<byte>());
    }

    [Fact]
    public void Axis_rotations_turn_whole_shapes_and_manifests_still_replay_exactly()
    {
        var spec = AvsDbTestSpecs.Code48() with { AxisRotations = true };
        var gen = new AvsDbGenerator(spec, 31);
        var seen = new HashSet<ShapeOrientation>();
        var rasterizer = new ShapeRasterizer();
        for (int v = 0; v < 3; v++)
        {
            var sample = gen.Generate(v);
            var (_, replayed) = AvsDbTestSpecs.Replay(spec, sample.Manifest);
            Assert.Equal(replayed, sample.Label.As<byte>());
            foreach (var rec in sample.Manifest.Shapes)
            {
                seen.Add(rec.Geometry.Orientation);
                using var upright = rasterizer.Rasterize(rec.Geometry with { Orientation = ShapeOrientation.Stay }, 0);
                var turned = rec.Geometry.Orientation.RotatedSize(upright.SizeX, upright.SizeY, upright.SizeZ);
                Assert.Equal(new[] { turned.X, turned.Y, turned.Z }, rec.Size);
                Assert.Equal(upright.VoxelCount, rec.VoxelCount);
            }
        }
        Assert.True(seen.Count >= 4, $"orientations seen: {string.Join(", ", seen)}");
        Assert.All(new AvsDbGenerator(AvsDbTestSpecs.Code48(), 31).Generate(0).Manifest.Shapes,
            s => Assert.Equal(ShapeOrientation.Stay, s.Geometry.Orientation));
    }

    [Fact]
    public void More_than_255_classes_use_int16_labels()
    {
        var spec = AvsDbSpec.CodeDefault(32) with
        {
            Xy = new XyClassSpec { VertexCounts = Enumerable.Range(3, 62).Prepend(0).ToArray(), PolygonBoxSide = new IntRange(10, 27), PolygonMinRadius = 5, EllipseMaxRadius = new IntRange(5, 13), EllipseMinRadius = 5 },
            ZClasses = [ZClassSpec.Prism(), ZClassSpec.Hourglass(), ZClassSpec.Pyramid(), ZClassSpec.Rhombus(), ZClassSpec.InvertedPyramid()],
        };
        Assert.Equal(315, spec.ClassCount);
        var sample = new AvsDbGenerator(spec, 2).Generate(0);
        var label = sample.Label.As<short>();
        Assert.All(label, l => Assert.InRange(l, 0, 315));
        Assert.Contains(label, l => l > 0);
    }
}
