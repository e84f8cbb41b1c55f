using MedSeg.Core.Generators;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Tests.Preprocessing;

public class RandomTransformTests
{
    [Fact]
    public void Rotate90_FourTimes_IsIdentity_AndOneTurnKeepsWorldPositions()
    {
        var v = GeometryAssert.IndexVolume(5, 3, 2, [0.8, 0.7, 2.5], GeometryAssert.LpsAffine);

        var once = VolumeOps.Rotate90(v, 1);
        Assert.Equal((3, 5, 2), (once.SizeX, once.SizeY, once.SizeZ));
        Assert.Equal([0.7, 0.8, 2.5], once.Spacing);
        // numpy rot90(axes=(0,1)): out[a, b] = in[b, Ny − 1 − a].
        Assert.Equal(v.As<int>()[v.Index(4, 2, 1)], once.As<int>()[once.Index(0, 4, 1)]);
        GeometryAssert.WorldPreserved(v, once);

        var four = VolumeOps.Rotate90(VolumeOps.Rotate90(VolumeOps.Rotate90(once, 1), 1), 1);
        Assert.Equal(v.As<int>(), four.As<int>());
        for (int i = 0; i < 16; i++) Assert.Equal(v.Affine[i], four.Affine[i], 1e-12);
        Assert.Equal(v.As<int>(), VolumeOps.Rotate90(v, 4).As<int>());
        Assert.Equal(VolumeOps.Rotate90(v, 3).As<int>(), VolumeOps.Rotate90(v, -1).As<int>());
    }

    [Fact]
    public void Flip_Twice_IsIdentity_AndKeepsWorldPositions()
    {
        var v = GeometryAssert.IndexVolume(4, 3, 2, [0.8, 0.8, 2.5], GeometryAssert.LpsAffine);
        for (int axis = 0; axis < 3; axis++)
        {
            var f = VolumeOps.Flip(v, axis);
            GeometryAssert.WorldPreserved(v, f);
            Assert.NotEqual(v.As<int>(), f.As<int>());
            Assert.Equal(v.As<int>(), VolumeOps.Flip(f, axis).As<int>());
        }
    }

    [Fact]
    public void RandFlip_ProbabilityOne_FlipsAllAxes_Zero_FlipsNone()
    {
        var v = GeometryAssert.IndexVolume(4, 3, 2);
        var sample = new SegmentationSample(v, v);
        var all = RandFlip.Apply(sample, 1, new DeterministicRandom(1));
        Assert.Equal(v.As<int>().Reverse(), all.Image.As<int>());
        Assert.Equal(all.Image.As<int>(), all.Label!.As<int>());
        Assert.Same(v, RandFlip.Apply(sample, 0, new DeterministicRandom(1)).Image);
    }

    [Fact]
    public void RandRotate90_RateAndTurnsMatchSettings()
    {
        var v = GeometryAssert.IndexVolume(3, 2, 1);
        var rng = new DeterministicRandom(7);
        int rotated = 0;
        var turns = new HashSet<string>();
        for (int n = 0; n < 2000; n++)
        {
            var r = RandRotate90.Apply(new SegmentationSample(v, null), 0.1, rng);
            if (ReferenceEquals(r.Image, v)) continue;
            rotated++;
            turns.Add(string.Join(",", r.Image.As<int>()));
        }
        Assert.InRange(rotated, 150, 250); // 10 % of 2000, ±5σ
        Assert.Equal(3, turns.Count);      // k = 1, 2, 3 all occur, never the identity
        Assert.DoesNotContain(string.Join(",", v.As<int>()), turns);
    }

    [Fact]
    public void RandShiftIntensity_AddsOneOffsetWithinRange_LabelUntouched()
    {
        var image = new Volume(3, 1, 1, new float[] { 0, 0.5f, 1 });
        var label = new Volume(3, 1, 1, new byte[] { 0, 1, 2 });
        var shifted = RandShiftIntensity.Apply(new SegmentationSample(image, label), 0.1, 1, new DeterministicRandom(3));
        var d = shifted.Image.As<float>();
        double offset = d[0];
        Assert.InRange(offset, -0.1, 0.1);
        Assert.NotEqual(0, offset);
        Assert.Equal(0.5 + offset, d[1], 6);
        Assert.Equal(1 + offset, d[2], 6);
        Assert.Same(label, shifted.Label);
    }

    [Fact]
    public void CropByPosNeg_CentresOnForegroundAtConfiguredRate_AndPatchesFit()
    {
        const int sx = 24, sy = 20, sz = 10;
        var image = Volume.Create<float>(sx, sy, sz);
        var label = Volume.Create<byte>(sx, sy, sz);
        // Foreground: a 4×4×3 block near a corner, so clamping matters.
        for (int z = 0; z < 3; z++) for (int y = 1; y < 5; y++) for (int x = 19; x < 23; x++) label.As<byte>()[label.Index(x, y, z)] = 2;
        var rng = new DeterministicRandom(42);
        int[] patch = [8, 6, 4];

        var samples = RandomCropByPosNeg.Sample(image, label, patch, pos: 1, neg: 3, numSamples: 800, rng: rng);

        int onForeground = 0;
        foreach (var s in samples)
        {
            Assert.Equal((8, 6, 4), (s.Image.SizeX, s.Image.SizeY, s.Image.SizeZ));
            var c = s.Centre!;
            if (label.As<byte>()[label.Index(c[0], c[1], c[2])] > 0)
            {
                onForeground++;
                Assert.Contains((byte)2, s.Label!.As<byte>()); // the patch contains the chosen foreground voxel
            }
        }
        // pos/(pos+neg) = 0.25 of 800 = 200, σ ≈ 12.
        Assert.InRange(onForeground, 150, 250);
    }

    [Theory]
    [InlineData(10, 5, 2, 7)]
    [InlineData(10, 4, 2, 8)]
    [InlineData(10, 10, 5, 5)]
    [InlineData(9, 1, 0, 8)]
    public void ValidCentre_ClampsAsMonaiCorrectCropCenters(int size, int patch, int lowest, int highest)
    {
        Assert.Equal(lowest, RandomCropByPosNeg.ValidCentre([-5, 0, 0], [patch, 1, 1], [size, 1, 1])[0]);
        Assert.Equal(highest, RandomCropByPosNeg.ValidCentre([99, 0, 0], [patch, 1, 1], [size, 1, 1])[0]);
        var box = RandomCropByPosNeg.PatchBox([highest, 0, 0], [patch, 1, 1]);
        Assert.Equal(size, Math.Max(box.End[0], size));
        Assert.True(box.Start[0] >= 0 && box.End[0] <= size);
    }

    [Fact]
    public void CropByPosNeg_PatchLargerThanVolume_Throws_NoForeground_UsesBackground()
    {
        var image = Volume.Create<float>(8, 8, 4);
        var label = Volume.Create<byte>(8, 8, 4);
        var e = Assert.Throws<ArgumentException>(() => RandomCropByPosNeg.Sample(image, label, [8, 8, 5], rng: new DeterministicRandom(1)));
        Assert.Contains("8×8×5", e.Message);
        var samples = RandomCropByPosNeg.Sample(image, label, [4, 4, 2], pos: 1, neg: 0, numSamples: 3, rng: new DeterministicRandom(1));
        Assert.Equal(3, samples.Count);
    }
}
