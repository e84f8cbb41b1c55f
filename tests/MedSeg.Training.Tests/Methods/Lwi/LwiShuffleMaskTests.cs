using MedSeg.Core.Volumes;
using MedSeg.Training.Data;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Tests.Methods;

namespace MedSeg.Training.Tests.Methods.Lwi;

public class LwiShuffleMaskTests
{
    // Hand-built volume: Z 20 (5 chunks of 4 slices), Y 2, X 2; mask cubes 2³ → 10 cubes, 40 % = exactly 4.
    private const int Z = 20, Y = 2, X = 2;
    private static float Value(int z, int y, int x) => z * 100 + y * 10 + x + 1;

    private static float[] Volume()
    {
        var v = new float[Z * Y * X];
        for (int z = 0; z < Z; z++)
            for (int y = 0; y < Y; y++)
                for (int x = 0; x < X; x++) v[(z * Y + y) * X + x] = Value(z, y, x);
        return v;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(77UL)]
    public void Slices_Move_By_Chunk_Exactly_Forty_Percent_Of_Cubes_Are_Zero_And_Targets_Invert_The_Permutation(ulong seed)
    {
        var t = new LwiShuffleMask(chunks: 5, maskRatio: 0.4, maskPatch: 2);
        var rng = new SplitMix64(seed);
        var slots = t.DrawPermutation(ref rng);
        var mask = t.DrawMask(ref rng, t.CubeCount(Z, Y, X));
        var input = new float[Z * Y * X];
        var target = new float[Z * Y * X];
        t.Apply(Volume(), 1, Z, Y, X, slots, mask, input, target);

        Assert.Equal(Enumerable.Range(0, 5), slots.Order());
        Assert.Contains(slots.Select((s, i) => s != i), moved => moved);
        // Every slice of chunk c (4 slices) now sits at the same offset inside slot slots[c].
        for (int chunk = 0; chunk < 5; chunk++)
            for (int r = 0; r < 4; r++)
                for (int y = 0; y < Y; y++)
                    for (int x = 0; x < X; x++)
                        Assert.Equal(Value(chunk * 4 + r, y, x), target[((slots[chunk] * 4 + r) * Y + y) * X + x]);

        // Cubes (2³, Z slowest): exactly 4 of 10 entirely zero in the input, the others equal to the target.
        int zeroCubes = 0;
        for (int cube = 0; cube < 10; cube++)
        {
            var voxels = Enumerable.Range(0, 8).Select(v => ((cube * 2 + v / 4) * Y + v / 2 % 2) * X + v % 2).ToArray();
            bool zero = voxels.All(i => input[i] == 0);
            Assert.Equal(mask[cube], zero);
            if (zero) zeroCubes++;
            else Assert.All(voxels, i => Assert.Equal(target[i], input[i]));
        }
        Assert.Equal(4, zeroCubes);
        Assert.Equal(4, mask.Count(m => m));

        // The order target at each slot is the original chunk there: the inverse permutation.
        var order = LwiShuffleMask.OrderTarget(slots);
        for (int chunk = 0; chunk < 5; chunk++) Assert.Equal(chunk, order[slots[chunk]]);
        for (int slot = 0; slot < 5; slot++) Assert.Equal(slot, slots[order[slot]]);
    }

    [Fact]
    public void Paper_Size_Masks_86_Of_216_Cubes_And_Refuses_Crops_That_Do_Not_Divide()
    {
        var t = new LwiShuffleMask(6, 0.4, 16);
        Assert.Equal(216, t.CubeCount(96, 96, 96));
        var rng = new SplitMix64(5);
        Assert.Equal(86, t.DrawMask(ref rng, 216).Count(m => m));
        Assert.Null(t.Problem(96, 96, 96));
        Assert.Contains("not divisible by 6 chunks", t.Problem(64, 96, 96));
        Assert.Contains("mask patch 16", t.Problem(96, 96, 40));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LwiShuffleMask(1, 0.4, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LwiShuffleMask(6, 1.0, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LwiShuffleMask(6, double.NaN, 16));
    }

    [Fact]
    public void Builder_Draws_Per_Sample_By_Default_And_Once_Per_Batch_When_Code_Compatible()
    {
        var source = new ConstantSource(40, 32);
        var crops = new UnlabelledCrops(source, 4, CropSize.Cube(32), seed: 3, window: null);
        var t = new LwiShuffleMask(2, 0.4, 16);
        var paper = new LwiBatchBuilder(crops, t, perBatchDraws: false, seed: 3).Build(7);
        var code = new LwiBatchBuilder(crops, t, perBatchDraws: true, seed: 3).Build(7);
        int n = 32 * 32 * 32;
        Masks(code).Distinct().Single();
        Assert.True(Masks(paper).Distinct().Count() > 1, "per-sample masks were all the same");
        // Same step, same seed → the same batch (resume rebuilds it).
        var again = new LwiBatchBuilder(crops, t, perBatchDraws: false, seed: 3).Build(7);
        Assert.Equal(paper.Inputs, again.Inputs);
        Assert.Equal(paper.Order, again.Order);
        Assert.Equal(4 * 2, paper.Order.Length);

        IEnumerable<string> Masks(LwiBatch b) => Enumerable.Range(0, 4)
            .Select(i => new string(b.Inputs.Skip(i * n).Take(n).Where((_, k) => k % 16 == 0 && k / 32 % 16 == 0 && k / 1024 % 16 == 0)
                .Select(v => v == 0 ? '0' : '1').ToArray()));
    }

    [Fact]
    public void Intensity_Window_Clips_Scales_And_Zeroes_NaN()
    {
        var values = new[] { -1000f, -175f, 37.5f, 250f, 3000f, float.NaN };
        IntensityWindow.AbdominalCt.ApplyInPlace(values);
        Assert.Equal(new[] { 0f, 0f, 0.5f, 1f, 1f, 0f }, values);
        Assert.Null(IntensityWindow.Parse("none", "--window"));
        Assert.Equal(new IntensityWindow(-1000, 1000), IntensityWindow.Parse("-1000,1000", "--window"));
        var e = Assert.Throws<ArgumentException>(() => IntensityWindow.Parse("250,-175", "--window"));
        Assert.Contains("--window", e.Message);
        Assert.Contains("250,-175", e.Message);
    }

    /// <summary>Volumes whose voxels are 1 (the mask shows as zeros).</summary>
    private sealed class ConstantSource(int count, int size) : IVolumeSampleSource
    {
        public int Count => count;
        public int ClassCount => 2;
        public string Description => "constant";
        public LabeledVolume Load(int index) => new(
            new Volume(size, size, size, Enumerable.Repeat(1f, size * size * size).ToArray()),
            new Volume(size, size, size, new byte[size * size * size]), $"c{index}");
    }
}
