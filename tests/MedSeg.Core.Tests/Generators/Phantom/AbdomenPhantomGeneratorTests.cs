using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Generators.Phantom;

public class AbdomenPhantomGeneratorTests
{
    private static readonly AbdomenPhantomSpec Small = AbdomenPhantomSpec.Default with { Size = [64, 64, 32] };

    /// <summary>Mean HU over the organ's interior: voxels whose six neighbours share the label (edges carry partial volume).</summary>
    private static double MeanHu(AbdomenPhantomSample s, byte label)
    {
        var img = s.Image.As<short>();
        var lab = s.Label.As<byte>();
        int sx = s.Image.SizeX, sy = s.Image.SizeY, sz = s.Image.SizeZ;
        double sum = 0;
        long n = 0;
        for (int z = 1; z < sz - 1; z++) for (int y = 1; y < sy - 1; y++) for (int x = 1; x < sx - 1; x++)
        {
            long i = s.Image.Index(x, y, z);
            if (lab[i] != label || lab[i - 1] != label || lab[i + 1] != label || lab[i - sx] != label || lab[i + sx] != label
                || lab[i - (long)sx * sy] != label || lab[i + (long)sx * sy] != label) continue;
            sum += img[i];
            n++;
        }
        Assert.True(n > 0, $"label {label} has no interior voxels");
        return sum / n;
    }

    [Fact]
    public void Generate_AllFiveLabelsPresent_WithNamedIds_AndTypes()
    {
        var s = new AbdomenPhantomGenerator(Small, 11).Generate(0);

        Assert.Equal(VoxelType.Int16, s.Image.Type);
        Assert.Equal(VoxelType.UInt8, s.Label.Type);
        var ids = s.Label.As<byte>().Distinct().Order().ToArray();
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, ids);
        Assert.Equal("liver", AbdomenPhantomLabels.NameOf(1));
        Assert.Equal("aorta", AbdomenPhantomLabels.NameOf(5));
        foreach (var (_, name) in AbdomenPhantomLabels.All.Skip(1)) Assert.True(s.Manifest.LabelVoxels[name] > 0, name);
        // The liver is the largest organ.
        Assert.Equal("liver", s.Manifest.LabelVoxels.MaxBy(kv => kv.Value).Key);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Generate_OrganHuRangesArePlausibleForUnenhancedCt(int index)
    {
        var s = new AbdomenPhantomGenerator(Small, 2).Generate(index);

        Assert.InRange(MeanHu(s, AbdomenPhantomLabels.Liver), 40, 80);
        Assert.InRange(MeanHu(s, AbdomenPhantomLabels.Spleen), 30, 70);
        Assert.InRange(MeanHu(s, AbdomenPhantomLabels.RightKidney), 15, 80);
        Assert.InRange(MeanHu(s, AbdomenPhantomLabels.LeftKidney), 15, 80);
        Assert.InRange(MeanHu(s, AbdomenPhantomLabels.Aorta), 20, 65);
        var img = s.Image.As<short>();
        // Air in the corners, bone present, noise visible.
        Assert.InRange(img[s.Image.Index(0, 0, 0)], -1024, -900);
        Assert.True(img.Count(v => v > 400) > 20, "no bone voxels above 400 HU");
        Assert.True(img.Count(v => v > -150 && v < -60) > 500, "no fat");
        Assert.All(img, v => Assert.InRange(v, AbdomenPhantomGenerator.MinHu, AbdomenPhantomGenerator.MaxHu));
    }

    [Fact]
    public void Generate_NoiseSigmaMatchesSpec_InAir()
    {
        var s = new AbdomenPhantomGenerator(Small with { NoiseSigmaHu = 12 }, 4).Generate(0);
        // A column of corner voxels is far from the body: pure air + noise (clamped at −1024, so measure the upper half).
        var img = s.Image.As<short>();
        var air = new List<double>();
        for (int z = 0; z < 32; z++) for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) air.Add(img[s.Image.Index(x, y, z)]);
        double mean = air.Average();
        Assert.InRange(mean, -1010, -990);
        double sd = Math.Sqrt(air.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(sd, 8, 16);
    }

    [Fact]
    public void Generate_SameSeedAndIndex_Identical_OtherIndex_DifferentPose()
    {
        var a = new AbdomenPhantomGenerator(Small, 99).Generate(5);
        var b = new AbdomenPhantomGenerator(Small, 99).Generate(5);
        var c = new AbdomenPhantomGenerator(Small, 99).Generate(6);
        var d = new AbdomenPhantomGenerator(Small, 100).Generate(5);

        Assert.Equal(a.Image.As<short>(), b.Image.As<short>());
        Assert.Equal(a.Label.As<byte>(), b.Label.As<byte>());
        Assert.NotEqual(a.Manifest.RotationDegrees, c.Manifest.RotationDegrees);
        Assert.NotEqual(a.Manifest.Translation, c.Manifest.Translation);
        Assert.NotEqual(a.Label.As<byte>(), c.Label.As<byte>());
        Assert.NotEqual(a.Label.As<byte>(), d.Label.As<byte>());
        double overlap = Dice(a.Label.As<byte>(), c.Label.As<byte>(), AbdomenPhantomLabels.Liver);
        Assert.InRange(overlap, 0.5, 0.98); // same anatomy, different pose and size
    }

    [Fact]
    public void Generate_PartialVolume_ImageEdgesAreSoftWhileLabelsAreHard()
    {
        var sharp = new AbdomenPhantomGenerator(Small with { NoiseSigmaHu = 0, TextureAmplitudeHu = 0, ZSupersampling = 1, InPlaneBlur = false }, 8).Generate(0);
        var soft = new AbdomenPhantomGenerator(Small with { NoiseSigmaHu = 0, TextureAmplitudeHu = 0 }, 8).Generate(0);

        // Labels are the voxel centres' in both (hard, unaffected by blur and supersampling).
        var a = sharp.Label.As<byte>();
        var b = soft.Label.As<byte>();
        int same = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        Assert.True(same >= 0.999 * a.Length, $"{a.Length - same} label voxels differ");
        // Without partial volume the image only holds a few tissue values; with it, many intermediate ones.
        int sharpLevels = sharp.Image.As<short>().Distinct().Count();
        int softLevels = soft.Image.As<short>().Distinct().Count();
        Assert.True(softLevels > 3 * sharpLevels, $"{softLevels} vs {sharpLevels} distinct values");
    }

    [Fact]
    public void Generate_GeometryFromSpec_LpsAffineCentredOnOrigin()
    {
        var spec = AbdomenPhantomSpec.Default with { Size = [32, 24, 10], Spacing = [0.7, 0.9, 3] };
        var s = new AbdomenPhantomGenerator(spec, 1).Generate(0);
        Assert.Equal([0.7, 0.9, 3.0], s.Image.Spacing);
        Assert.Equal(-0.7, s.Image.Affine[0]);
        Assert.Equal(-0.9, s.Image.Affine[5]);
        Assert.Equal(3.0, s.Image.Affine[10]);
        Assert.Equal(0.7 * 31 / 2, s.Image.Affine[3], 9);
        Assert.Equal(-3.0 * 9 / 2, s.Image.Affine[11], 9);
        Assert.Equal(s.Image.Affine, s.Label.Affine);
    }

    private static double Dice(byte[] a, byte[] b, byte label)
    {
        long both = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool x = a[i] == label, y = b[i] == label;
            if (x) na++;
            if (y) nb++;
            if (x && y) both++;
        }
        return 2.0 * both / (na + nb);
    }
}
