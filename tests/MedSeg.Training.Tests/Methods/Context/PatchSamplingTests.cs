using MedSeg.Core.ContextFeatures;
using MedSeg.Core.Volumes;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Methods.Context;

/// <summary>Patch sampling of the 2.5D context and Doersch tasks: trilinear in normalised coordinates, as grid_sample.</summary>
public class PatchSamplingTests
{
    private const int Sx = 20, Sy = 16, Sz = 12;

    /// <summary>v = 1 + 2x + 3y + 5z in voxel indices: trilinear interpolation reproduces it exactly inside the volume.</summary>
    private static SamplingVolume Affine(int sx = Sx, int sy = Sy, int sz = Sz)
    {
        var data = new float[sx * sy * sz];
        for (int z = 0; z < sz; z++) for (int y = 0; y < sy; y++) for (int x = 0; x < sx; x++)
            data[x + sx * (y + sy * z)] = 1 + 2 * x + 3 * y + 5 * z;
        return new SamplingVolume(data, sx, sy, sz);
    }

    private static double AffineAt(double nx, double ny, double nz, bool align) =>
        1 + 2 * SamplingVolume.Unnormalise(nx, Sx, align) + 3 * SamplingVolume.Unnormalise(ny, Sy, align) + 5 * SamplingVolume.Unnormalise(nz, Sz, align);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(0, false)]
    [InlineData(2, false)]
    public void Plane_Patch_Reproduces_A_Known_Affine_Resample(int axis, bool align)
    {
        var volume = Affine();
        double cx = 0.21, cy = -0.17, cz = 0.05;
        var offsets = PatchOffsets.Plane(axis);
        var patch = new float[PatchOffsets.PlaneSamples];
        PatchOffsets.Sample(volume, cx, cy, cz, offsets, patch, align);
        for (int k = 0; k < patch.Length; k++)
        {
            double expected = AffineAt(cx + offsets[k * 3], cy + offsets[k * 3 + 1], cz + offsets[k * 3 + 2], align);
            Assert.True(Math.Abs(patch[k] - expected) < 1e-3, $"sample {k}: {patch[k]} vs {expected}");
        }
        // Hand-computed corner: plane 0, row 0, column 0 of axis 0 (thin z, rows y, columns x) with corners aligned.
        if (axis == 0 && align)
        {
            double x = (cx - 0.4 + 1) / 2 * (Sx - 1), y = (cy - 0.4 + 1) / 2 * (Sy - 1), z = (cz - 0.05 + 1) / 2 * (Sz - 1);
            Assert.Equal(1 + 2 * x + 3 * y + 5 * z, patch[0], 3);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sampler_Equals_Torch_Grid_Sample_Including_Zero_Padding_Outside(bool align)
    {
        var data = new float[7 * 9 * 5];
        var random = new Random(3);
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        var volume = new SamplingVolume(data, 7, 9, 5);
        using var scope = NewDisposeScope();
        var input = tensor(data).view(1, 1, 5, 9, 7);
        var points = new List<double[]>();
        for (int i = 0; i < 400; i++) points.Add([random.NextDouble() * 2.6 - 1.3, random.NextDouble() * 2.6 - 1.3, random.NextDouble() * 2.6 - 1.3]);
        var grid = tensor(points.SelectMany(p => p.Select(v => (float)v)).ToArray()).view(1, 1, points.Count, 1, 3);
        var expected = nn.functional.grid_sample(input, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: align)
            .reshape(-1).data<float>().ToArray();
        for (int i = 0; i < points.Count; i++)
        {
            float actual = volume.Sample(points[i][0], points[i][1], points[i][2], align);
            Assert.True(Math.Abs(actual - expected[i]) < 1e-5, $"point {i} ({string.Join(", ", points[i])}): {actual} vs torch {expected[i]}");
        }
    }

    [Fact]
    public void Plane_Layout_Is_Plane_Row_Column_With_Rows_Along_The_Higher_Coordinate()
    {
        // Axis 0: thin z, rows y, columns x. Axis 1: thin y, rows z, columns x. Axis 2: thin x, rows z, columns y.
        var expected = new[] { (2, 1, 0), (1, 2, 0), (0, 2, 1) };
        for (int axis = 0; axis < 3; axis++)
        {
            var o = PatchOffsets.Plane(axis);
            var (thin, rows, cols) = expected[axis];
            int w = PatchOffsets.PlaneWidth;
            Assert.Equal(-0.05, o[thin], 6);                                   // plane 0
            Assert.Equal(0.05, o[(2 * w * w) * 3 + thin], 6);                  // plane 2
            Assert.Equal(-0.4, o[rows], 6);
            Assert.Equal(0.4, o[((w - 1) * w) * 3 + rows], 6);                 // last row
            Assert.Equal(0.4, o[(w - 1) * 3 + cols], 6);                       // last column
            Assert.Equal(-0.4, o[((w - 1) * w) * 3 + cols], 6);               // first column of the last row
        }
    }

    [Fact]
    public void Z_Normalisation_Gives_Mean_0_Std_1_Constant_Gives_Zeros_And_NaN_Is_Refused()
    {
        var v = Volume.Create<short>(4, 3, 2);
        var raw = v.As<short>();
        for (int i = 0; i < raw.Length; i++) raw[i] = (short)(i * i - 100);
        var n = SamplingVolume.ZNormalised(v);
        double mean = n.Data.Average(f => (double)f);
        double std = Math.Sqrt(n.Data.Sum(f => (f - mean) * (f - mean)) / (n.Data.Length - 1));
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, std, 5);

        var constant = Volume.Create<float>(3, 3, 3);
        Array.Fill(constant.As<float>(), 7f);
        Assert.All(SamplingVolume.ZNormalised(constant).Data, f => Assert.Equal(0f, f));

        var bad = Volume.Create<float>(2, 2, 2);
        bad.As<float>()[5] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => SamplingVolume.ZNormalised(bad, "case_007"));
        Assert.Contains("case_007", error.Message);
        Assert.Contains("voxel 5", error.Message);
    }

    [Fact]
    public void Curriculum_Runs_Min_0_25_To_0_And_Max_0_3_To_0_7()
    {
        var c = new ContextCurriculum();
        Assert.Equal((0.25, 0.3), c.At(0, 101));
        var (min, max) = c.At(50, 101);
        Assert.Equal(0.125, min, 12);
        Assert.Equal(0.5, max, 12);
        (min, max) = c.At(100, 101);
        Assert.Equal(0.0, min, 12);
        Assert.Equal(0.7, max, 12);
        Assert.Equal((0.25, 0.3), c.At(0, 1));
    }

    [Fact]
    public void Doersch_Labels_For_Known_Offsets()
    {
        Assert.Equal((0.45, 0.0, 0.0), DoerschNeighbour.Offset(0));
        Assert.Equal((-0.45, 0.0, 0.0), DoerschNeighbour.Offset(1));
        Assert.Equal((0.0, 0.45, 0.0), DoerschNeighbour.Offset(2));
        Assert.Equal((0.0, 0.0, -0.45), DoerschNeighbour.Offset(5));
        Assert.Equal(3, DoerschNeighbour.ClassOf(axis: 1, sign: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DoerschNeighbour.Offset(6));

        // Sampled pairs on the affine volume: the mean difference of the two cubes reveals the offset, hence the label.
        var sampler = new DoerschPairSampler(_ => Affine(), 1, seed: 4, batchSize: 16);
        var batch = sampler.Build(3);
        int n = PatchOffsets.CubeSamples;
        var slope = new[] { 2.0 * (Sx - 1) / 2, 3.0 * (Sy - 1) / 2, 5.0 * (Sz - 1) / 2 }; // value per normalised unit
        var seen = new HashSet<long>();
        for (int i = 0; i < batch.BatchSize; i++)
        {
            // Centre cubes stay inside (|c| ≤ 0.5 + 0.45 + 0.2 may leave the volume): compare the central sample only.
            int centre = n / 2;
            double difference = batch.Cubes2[i * n + centre] - batch.Cubes1[i * n + centre];
            var (dx, dy, dz) = DoerschNeighbour.Offset((int)batch.Labels[i]);
            double expected = slope[0] * dx + slope[1] * dy + slope[2] * dz;
            Assert.True(Math.Abs(difference - expected) < 1e-3, $"item {i} label {batch.Labels[i]}: difference {difference} vs {expected}");
            seen.Add(batch.Labels[i]);
        }
        Assert.True(seen.Count >= 3, "16 draws should cover several classes");
    }

    [Theory]
    [InlineData(ContextAxisMapping.Paper)]
    [InlineData(ContextAxisMapping.Notebook)]
    public void Context_Pairs_Put_The_Fixed_Shift_Where_The_Mapping_Says_And_Are_Pure_In_Step(ContextAxisMapping mapping)
    {
        var settings = new ContextPairSamplerSettings { Seed = 9, BatchSize = 6, TotalSteps = 11, Mapping = mapping };
        var sampler = new ContextPairSampler(_ => Affine(), 1, settings);
        var batch = sampler.Build(10);                                // last step: in-plane range [0, 0.7]
        Assert.Equal(batch.Patches1, sampler.Build(10).Patches1);
        Assert.NotEqual(batch.Offsets, sampler.Build(9).Offsets);
        for (int axis = 0; axis < 3; axis++)
        {
            var layout = ContextAxisLayout.For(axis, mapping);
            int expectedFixed = mapping == ContextAxisMapping.Paper ? layout.Thin : axis;
            Assert.Equal(expectedFixed, layout.Fixed);
            for (int i = 0; i < 6; i++)
            {
                int item = axis * 6 + i;
                var shift = batch.Offsets.AsSpan(item * 3, 3).ToArray();
                Assert.InRange(Math.Abs(shift[layout.Fixed]), 0.125, 0.25);
                foreach (int c in new[] { 0, 1, 2 }.Where(c => c != layout.Fixed)) Assert.InRange(Math.Abs(shift[c]), 0.0, 0.7);
                Assert.Equal(shift[layout.HeatRows], batch.HeatOffsets[item * 2]);
                Assert.Equal(shift[layout.HeatColumns], batch.HeatOffsets[item * 2 + 1]);
                // The patches are the affine volume: the second minus the first is the shift in voxel units.
                int n = PatchOffsets.PlaneSamples, centre = PatchOffsets.PlaneWidth * PatchOffsets.PlaneWidth + PatchOffsets.PlaneWidth / 2 * PatchOffsets.PlaneWidth + PatchOffsets.PlaneWidth / 2;
                double expected = 2.0 * (Sx - 1) / 2 * shift[0] + 3.0 * (Sy - 1) / 2 * shift[1] + 5.0 * (Sz - 1) / 2 * shift[2];
                Assert.True(Math.Abs(batch.Patches2[item * n + centre] - batch.Patches1[item * n + centre] - expected) < 1e-3);
            }
        }
        if (mapping == ContextAxisMapping.Paper)
        {
            // Step 0: in-plane magnitudes within [0.25, 0.3].
            var first = sampler.Build(0);
            for (int axis = 0; axis < 3; axis++)
            {
                var layout = ContextAxisLayout.For(axis, mapping);
                for (int i = 0; i < 6; i++)
                    foreach (int c in new[] { layout.Rows, layout.Columns })
                        Assert.InRange(Math.Abs(first.Offsets[(axis * 6 + i) * 3 + c]), 0.25, 0.3);
            }
        }
    }
}
