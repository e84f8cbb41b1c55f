using MedSeg.Core.Generators.Phantom;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Generators.Phantom;

public class AbdomenPhantomSpecTests
{
    [Theory]
    [InlineData("size[0]", "4")]
    [InlineData("spacing[2]", "-2.5")]
    [InlineData("noiseSigmaHu", "-1")]
    [InlineData("zSupersampling", "0")]
    [InlineData("organScaleJitter", "0.9")]
    public void Validated_OutOfRange_MessageNamesFieldAndValue(string field, string value)
    {
        var spec = field switch
        {
            "size[0]" => AbdomenPhantomSpec.Default with { Size = [4, 64, 32] },
            "spacing[2]" => AbdomenPhantomSpec.Default with { Spacing = [0.8, 0.8, -2.5] },
            "noiseSigmaHu" => AbdomenPhantomSpec.Default with { NoiseSigmaHu = -1 },
            "zSupersampling" => AbdomenPhantomSpec.Default with { ZSupersampling = 0 },
            _ => AbdomenPhantomSpec.Default with { OrganScaleJitter = 0.9 },
        };
        var e = Assert.Throws<PhantomSpecException>(() => spec.Validated("my.json"));
        Assert.Contains(field, e.Message);
        Assert.Contains("got " + value, e.Message);
        Assert.Contains("my.json", e.Message);
    }

    [Fact]
    public void Generator_RejectsInvalidSpec()
    {
        Assert.Throws<PhantomSpecException>(() => new AbdomenPhantomGenerator(AbdomenPhantomSpec.Default with { Size = [64, 64] }, 0));
    }

    [Fact]
    public void Load_RoundTrip_AndBadFiles_NameFileAndProblem()
    {
        using var dir = new TempDirectory();
        string good = dir.File("spec.json");
        var spec = AbdomenPhantomSpec.Default with { Size = [40, 40, 12], NoiseSigmaHu = 9 };
        File.WriteAllText(good, spec.ToJson());
        var loaded = AbdomenPhantomSpec.Load(good);
        Assert.Equal(spec.ToJson(), loaded.ToJson());

        string unknown = dir.File("unknown.json");
        File.WriteAllText(unknown, "{\"sise\": [1,2,3]}");
        var e1 = Assert.Throws<PhantomSpecException>(() => AbdomenPhantomSpec.Load(unknown));
        Assert.Contains("unknown.json", e1.Message);
        Assert.Contains("sise", e1.Message);

        string bad = dir.File("bad.json");
        File.WriteAllText(bad, "{\"spacing\": [0.8, 0.8, 0]}");
        var e2 = Assert.Throws<PhantomSpecException>(() => AbdomenPhantomSpec.Load(bad));
        Assert.Contains("spacing[2]", e2.Message);
        Assert.Contains("bad.json", e2.Message);

        var e3 = Assert.Throws<PhantomSpecException>(() => AbdomenPhantomSpec.Load(dir.File("missing.json")));
        Assert.Contains("missing.json", e3.Message);
    }
}
