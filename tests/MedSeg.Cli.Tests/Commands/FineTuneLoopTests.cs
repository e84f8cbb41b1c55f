using System.Text.Json;
using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// The downstream loop end to end through the real CLI, on CPU with tiny sizes: AVS-DB (32³) → FDSL pretraining
/// (BasicUNet, small features) → SYNTHETIC phantom (6 cases of 64×64×24, split 4/1/1) → fine-tuning from scratch and
/// from the pretraining run → evaluation.json, predictions on the images' grids, `medseg compare`.
/// </summary>
public class FineTuneLoopTests
{
    private const string Features = "features=(4, 4, 8, 8, 16, 4)";

    [Fact]
    public async Task Pretrain_Then_Finetune_Scratch_And_Pretrained_Then_Compare()
    {
        using var tmp = new TempDirectory();
        await Ok("generate", "avsdb", "--out", tmp.File("avs"), "--count", "8", "--size", "32", "--seed", "1");
        await Ok("train", "fdsl", "--out", tmp.File("pre"), "--dataset", tmp.File("avs"), "--model", "BasicUNet", "--model-arg", Features,
            "--crop", "32", "--batch", "2", "--steps", "24", "--samples", "8", "--lr", "1e-3", "--device", "cpu", "--val-every", "0",
            "--checkpoint-every", "12");
        Assert.True(File.Exists(tmp.File("pre/checkpoints/step-000000024/model.safetensors")), "FDSL checkpoints carry model.safetensors");

        await Ok("generate", "phantom", "--out", tmp.File("raw"), "--count", "6", "--size", "64,64,24", "--seed", "2");
        await Ok("import", "msd", tmp.File("raw"), "--out", tmp.File("ds"), "--val", "0.17", "--test", "0.17");
        string test = JsonDocument.Parse(File.ReadAllText(tmp.File("ds/split.json"))).RootElement.GetProperty("test")[0].GetString()!;

        string[] common = ["--dataset", tmp.File("ds"), "--model", "BasicUNet", "--model-arg", Features, "--patch", "32",
            "--steps", "8", "--batch", "2", "--lr", "1e-3", "--val-every", "4", "--seed", "1", "--device", "cpu"];
        var scratch = await Ok(["finetune", "--out", tmp.File("ft-scratch"), "--init", "scratch", .. common]);
        Assert.Contains("evaluation on 1 test cases", scratch);
        Assert.Contains(test, scratch);
        var pretrained = await Ok(["finetune", "--out", tmp.File("ft-pre"), "--init", "run:" + tmp.File("pre"), "--encoder-only", .. common]);
        Assert.Contains("init: loaded", pretrained);

        foreach (var run in new[] { "ft-scratch", "ft-pre" })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(tmp.File($"{run}/evaluation.json")));
            var root = doc.RootElement;
            Assert.Equal("test", root.GetProperty("split").GetString());
            var perClass = root.GetProperty("meanPerClass").EnumerateArray().ToList();
            Assert.Equal(5, perClass.Count); // liver, spleen, kidneys, aorta
            Assert.All(perClass, c => Assert.InRange(c.GetProperty("dice").GetDouble(), 0, 1));
            var prediction = NiftiReader.Read(tmp.File($"{run}/predictions/{test}.nii.gz"));
            var image = NiftiReader.Read(tmp.File($"ds/imagesTr/{test}_0000.nii.gz"));
            Assert.Equal(image.Affine, prediction.Affine);
        }
        Assert.Contains("\"encoderOnly\": true", File.ReadAllText(tmp.File("ft-pre/evaluation.json")));

        var table = await Ok("compare", tmp.File("ft-scratch"), tmp.File("ft-pre"));
        var lines = table.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("ft-scratch") && l.Contains("scratch"));
        Assert.Contains(lines, l => l.StartsWith("ft-pre") && l.Contains("run:") && l.Contains("(encoder)"));
        Assert.Contains("liver", table);
        Assert.Contains("mean Dice", table);
    }

    [Fact]
    public async Task Compare_Of_A_Folder_Without_Evaluation_Names_It()
    {
        using var tmp = new TempDirectory();
        Directory.CreateDirectory(tmp.File("empty"));
        var run = await CliRun.InvokeAsync("compare", tmp.File("empty"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("evaluation.json", run.Error);
        Assert.Contains("empty", run.Error);
    }

    [Fact]
    public async Task Finetune_With_Bad_Init_Fails_Naming_The_Option()
    {
        using var tmp = new TempDirectory();
        var run = await CliRun.InvokeAsync("finetune", "--dataset", tmp.File("ds"), "--out", tmp.File("run"), "--init", "imagenet");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--init", run.Error);
        Assert.Contains("imagenet", run.Error);
    }

    private static async Task<string> Ok(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);
        Assert.True(run.ExitCode == 0, $"medseg {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Error}\n{run.Output}");
        return run.Output;
    }
}
