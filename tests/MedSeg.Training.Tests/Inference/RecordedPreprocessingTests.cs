using MedSeg.Core.Preprocessing;
using MedSeg.Training.Inference;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Inference;

public class RecordedPreprocessingTests
{
    private static string FineTuneConfig(string preprocessing, string overlap = "0.25") =>
        $$"""{ "runType": "finetune", "options": { "overlap": {{overlap}}, "patchSize": 32 }, "preprocessing": {{preprocessing}}, "classes": 5 }""";

    private static string Effective => (PreprocessingOptions.Default with { PatchSize = [32, 24, 16], TargetSpacing = [1.2, 1.2, 3] }).ToJson();

    [Fact]
    public void Found_From_The_Best_Checkpoint_Two_Folders_Below_The_Run()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.File("config.json"), FineTuneConfig(Effective));
        var model = Path.Combine(Directory.CreateDirectory(tmp.File("checkpoints/best")).FullName, "model.safetensors");
        File.WriteAllBytes(model, [0]);

        var recorded = RecordedPreprocessing.Find(model)!;

        Assert.Equal(Path.GetFullPath(tmp.File("config.json")), recorded.ConfigPath);
        Assert.Equal([1.2, 1.2, 3], recorded.Preprocessing.TargetSpacing!);
        Assert.Equal([16, 24, 32], recorded.Roi); // tensor order (Z, Y, X)
        Assert.Equal(0.25, recorded.Overlap);
    }

    [Fact]
    public void Pretraining_Run_Or_Bare_Model_Has_None()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.File("config.json"), """{ "options": { "model": "BasicUNet" }, "classes": 4 }""");
        Assert.Null(RecordedPreprocessing.Find(tmp.File("checkpoints/step-000000010/model.safetensors")));
        Directory.CreateDirectory(tmp.File("bare/a/b/c"));
        Assert.Null(RecordedPreprocessing.Find(tmp.File("bare/a/b/c/model.safetensors")));
    }

    [Fact]
    public void Bad_Recorded_Field_Names_The_File_And_Field()
    {
        using var tmp = new TempDirectory();
        var config = tmp.File("config.json");
        File.WriteAllText(config, FineTuneConfig(Effective.Replace("\"targetSpacing\": [", "\"targetSpacing\": [-1, ")));
        var e = Assert.Throws<InvalidDataException>(() => RecordedPreprocessing.Read(config));
        Assert.Contains(config, e.Message);
        Assert.Contains("targetSpacing", e.Message);

        File.WriteAllText(config, FineTuneConfig(Effective, overlap: "1.5"));
        e = Assert.Throws<InvalidDataException>(() => RecordedPreprocessing.Read(config));
        Assert.Contains("options.overlap", e.Message);
        Assert.Contains("1.5", e.Message);

        File.WriteAllText(config, """{ "runType": "finetune", "options": {} }""");
        e = Assert.Throws<InvalidDataException>(() => RecordedPreprocessing.Read(config));
        Assert.Contains("\"preprocessing\"", e.Message);
    }
}
