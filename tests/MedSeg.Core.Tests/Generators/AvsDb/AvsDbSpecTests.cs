using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Core.Tests.Generators.AvsDb;

public class AvsDbSpecTests
{
    [Fact]
    public void Presets_have_the_documented_classes()
    {
        var best = AvsDbSpec.PaperBest();
        Assert.Equal(16, best.ClassCount);
        Assert.Equal(96, best.VolumeSize);
        Assert.Equal(0.7, best.OverlapLimit);
        Assert.Equal([ZRule.Constant, ZRule.ConcaveInside], best.ZClasses.Select(z => z.Rule));
        Assert.Equal("ellipse-constant", best.ClassName(1));
        Assert.Equal("polygon9-concave-inside", best.ClassName(16));
        var code = AvsDbSpec.CodeDefault();
        Assert.Equal(32, code.ClassCount);
        Assert.Equal(20, code.ShapesPerVolume);
        Assert.Equal("polygon3-linear-decrease", code.ClassName(7));
        Assert.Empty(best.Validate());
        Assert.Empty(code.Validate());
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void Scaled_presets_stay_valid_and_shrink_sizes(int size)
    {
        var s = AvsDbSpec.CodeDefault(size);
        Assert.Empty(s.Validate());
        Assert.Equal(size, s.VolumeSize);
        Assert.True(s.Xy.PolygonBoxSide.Max <= size);
        Assert.Equal(Math.Round(80.0 * size / 96), s.Xy.PolygonBoxSide.Max);
        Assert.Equal(Math.Round(50.0 * size / 96), s.Depth.Max);
    }

    [Fact]
    public void Validation_names_the_field_and_value()
    {
        var errors = (AvsDbSpec.PaperBest() with { OverlapLimit = 1.5 }).Validate();
        Assert.Contains("OverlapLimit must be in (0, 1], got 1.5", errors);
        var ex = Assert.Throws<AvsDbSpecException>(() => (AvsDbSpec.PaperBest() with { ShapesPerVolume = 0, MaxPlacementAttempts = -3 }).EnsureValid());
        Assert.Contains("ShapesPerVolume must be in 1..10000, got 0", ex.Message);
        Assert.Contains("MaxPlacementAttempts must be >= 1, got -3", ex.Message);
        var bad = AvsDbSpec.PaperBest() with
        {
            ZClasses = [ZClassSpec.Hourglass() with { Extremum = new DoubleRange(0.9, 1.0) }],
            Xy = new XyClassSpec { VertexCounts = [0, 2] },
        };
        var msgs = bad.Validate();
        Assert.Contains(msgs, m => m.StartsWith("ZClasses[0]: ConcaveInside needs Extremum.Max") && m.Contains("[0.9, 1]"));
        Assert.Contains("Xy.VertexCounts entries must be 0 (ellipse) or 3..64, got 2", msgs);
        Assert.Throws<AvsDbSpecException>(() => new AvsDbGenerator(bad, 0));
    }

    [Fact]
    public void Validation_messages_do_not_depend_on_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var errors = (AvsDbSpec.PaperBest() with { OverlapLimit = 1.5, Xy = new XyClassSpec { Scale = new DoubleRange(0.5, 0.25) } }).Validate();
            Assert.Contains("OverlapLimit must be in (0, 1], got 1.5", errors);
            Assert.Contains("Xy.Scale must satisfy 0 < Min <= Max, got [0.5, 0.25]", errors);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void Json_round_trips_and_bad_files_are_reported_with_path_and_field()
    {
        var spec = AvsDbSpec.CodeDefault(64) with { Image = new AvsDbImageSpec { Mode = ImageMode.Filled, NoiseSigma = 3 } };
        string json = spec.ToJson();
        Assert.Contains("\"ConcaveInside\"", json);
        var back = AvsDbSpec.FromJson(json);
        Assert.Equal(json, back.ToJson());

        string dir = Directory.CreateTempSubdirectory("avsdb-spec").FullName;
        try
        {
            string path = Path.Combine(dir, "bad.json");
            File.WriteAllText(path, json.Replace("\"OverlapLimit\": 0.7", "\"OverlapLimit\": 1.5"));
            var ex = Assert.Throws<AvsDbSpecException>(() => AvsDbSpec.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("OverlapLimit must be in (0, 1], got 1.5", ex.Message);

            File.WriteAllText(path, json.Replace("\"Mode\": \"Filled\"", "\"Mode\": \"Sparkly\""));
            ex = Assert.Throws<AvsDbSpecException>(() => AvsDbSpec.Load(path));
            Assert.Contains("$.Image.Mode", ex.Message);

            File.WriteAllText(path, "{ \"OverlapLimt\": 0.5 }");
            ex = Assert.Throws<AvsDbSpecException>(() => AvsDbSpec.Load(path));
            Assert.Contains("OverlapLimt", ex.Message);

            ex = Assert.Throws<AvsDbSpecException>(() => AvsDbSpec.Load(Path.Combine(dir, "missing.json")));
            Assert.Contains("file not found", ex.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
