using MedSeg.Training.FineTune;

namespace MedSeg.Training.Tests.FineTune;

public class FineTuneOptionsTests
{
    private static FineTuneOptions Valid() => new() { DatasetDir = "ds", OutputDir = "run" };

    [Theory]
    [InlineData("PatchSize", "0")]
    [InlineData("BatchSize", "-1")]
    [InlineData("Steps", "0")]
    [InlineData("LearningRate", "0")]
    [InlineData("ValidationEvery", "-5")]
    [InlineData("Overlap", "1")]
    [InlineData("FeatureSize", "0")]
    public void Bad_Value_Is_Rejected_Naming_Field_And_Value(string field, string value)
    {
        var o = Valid();
        var property = typeof(FineTuneOptions).GetProperty(field)!;
        property.SetValue(o, Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains($"FineTuneOptions.{field}", e.Message);
        Assert.Contains($"'{value}'", e.Message);
    }

    [Fact]
    public void Missing_Dataset_And_Bad_Init_Are_Named()
    {
        var empty = Valid();
        empty.DatasetDir = "";
        var e = Assert.Throws<ArgumentException>(() => empty.Validate());
        Assert.Contains("DatasetDir (--dataset)", e.Message);
        var o = Valid();
        o.Init = "imagenet";
        e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains("Init (--init)", e.Message);
        Assert.Contains("'imagenet'", e.Message);
        o.Init = "scratch";
        o.EncoderOnly = true;
        e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains("EncoderOnly", e.Message);
    }

    [Fact]
    public void Problems_Lists_Every_Bad_Field_And_Validate_Throws_Them_All()
    {
        var o = Valid();
        Assert.Empty(o.Problems());
        o.Steps = 0;
        o.Overlap = 1.5;
        o.Preprocessing = o.Preprocessing with { IntensityMin = 300 };
        var problems = o.Problems();
        Assert.Equal(3, problems.Count);
        Assert.Contains("FineTuneOptions.Steps (--steps) must be positive, got '0'.", problems);
        Assert.Contains(problems, p => p.Contains("FineTuneOptions.Overlap") && p.Contains("'1.5'"));
        Assert.Contains(problems, p => p.Contains("FineTuneOptions.Preprocessing") && p.Contains("intensityMax"));
        var e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.All(problems, p => Assert.Contains(p, e.Message));
    }

    [Theory]
    [InlineData("SwinUNETR", 48, 32)]
    [InlineData("UNETR", 40, 16)]
    [InlineData("BasicUNet", 24, 16)]
    public void Patch_Not_A_Multiple_Of_The_Networks_Input_Rule_Is_Refused(string model, int patch, int multiple)
    {
        var o = Valid();
        o.Model = model;
        o.PatchSize = patch;
        var e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains($"FineTuneOptions.PatchSize (--patch) must be a multiple of {multiple} for {model}, got '{patch}'.", e.Message);
        o.PatchSize = multiple * 2;
        Assert.Empty(o.Problems());
    }

    [Fact]
    public void SwinUnetr_Input_Rule_Follows_Its_Patch_Size_Argument()
    {
        Assert.Equal(32, MedSeg.Training.Fdsl.ModelChoice.InputMultiple("swinunetr"));
        Assert.Equal(243, MedSeg.Training.Fdsl.ModelChoice.InputMultiple("SwinUNETR", new Dictionary<string, string> { ["patch_size"] = "3" }));
        Assert.Equal(8, MedSeg.Training.Fdsl.ModelChoice.InputMultiple("UNETR", new Dictionary<string, string> { ["patch_size"] = "(8)" }));
        Assert.Equal(1, MedSeg.Training.Fdsl.ModelChoice.InputMultiple("NoSuchNet"));
    }

    [Fact]
    public void Bad_Preprocessing_Is_Named_With_Its_Field()
    {
        var o = Valid();
        o.Preprocessing = o.Preprocessing with { TargetSpacing = [1, -2, 1] };
        var e = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains("FineTuneOptions.Preprocessing", e.Message);
        Assert.Contains("targetSpacing", e.Message);
    }

    [Fact]
    public void Json_Round_Trips_And_Unknown_Fields_Are_Rejected()
    {
        var o = Valid();
        o.Init = "run:/runs/pre";
        o.EncoderOnly = true;
        o.PatchSize = 64;
        o.Preprocessing = o.Preprocessing with { TargetSpacing = null };
        var back = FineTuneOptions.FromJson(o.ToJson());
        Assert.Equal("run:/runs/pre", back.Init);
        Assert.True(back.EncoderOnly);
        Assert.Equal(64, back.PatchSize);
        Assert.Null(back.Preprocessing.TargetSpacing);
        Assert.Equal([64, 64, 64], back.EffectivePreprocessing.PatchSize);

        var e = Assert.Throws<ArgumentException>(() => FineTuneOptions.FromJson("{\"datasetDir\":\"d\",\"outputDir\":\"o\",\"stepz\":3}", "ft.json"));
        Assert.Contains("ft.json", e.Message);
        Assert.Contains("stepz", e.Message);
    }

    [Theory]
    [InlineData("scratch", InitKind.Scratch, null)]
    [InlineData("run:/a/b", InitKind.Run, "/a/b")]
    [InlineData("safetensors:C:/w.safetensors", InitKind.Safetensors, "C:/w.safetensors")]
    public void Init_Parses(string text, InitKind kind, string? path)
    {
        var s = InitSource.Parse(text);
        Assert.Equal(kind, s.Kind);
        Assert.Equal(path, s.Path);
        Assert.Equal(text, s.ToString());
    }
}
