using System.CommandLine;
using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Cli.Tests;

public class TrainCommandsTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MedSegCommand.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Train_Fdsl_From_Spec_Completes_Then_Resume_Finds_It_Done()
    {
        var dir = Directory.CreateTempSubdirectory("medseg-cli-train-").FullName;
        try
        {
            var paper = AvsDbSpec.PaperBest(24);
            var spec = paper with { Xy = paper.Xy with { VertexCounts = [0, 4] }, ZClasses = [paper.ZClasses[0]] };
            var specPath = Path.Combine(dir, "spec.json");
            File.WriteAllText(specPath, spec.ToJson());
            var run = Path.Combine(dir, "run");
            string[] args = ["train", "fdsl", "--out", run, "--spec", specPath, "--seed", "1", "--model", "BasicUNet",
                "--model-arg", "features=(4, 4, 8, 8, 16, 4)", "--crop", "16", "--batch", "1", "--steps", "4", "--samples", "8",
                "--device", "cpu", "--val-every", "2", "--val-samples", "1", "--checkpoint-every", "2"];

            var (code, stdout, stderr) = await Run(args);
            Assert.True(code == 0, stderr);
            Assert.Contains("completed: 4/4 steps", stdout);
            Assert.Contains("validation Dice per class", stdout);
            Assert.Contains("\"state\": \"completed\"", File.ReadAllText(Path.Combine(run, "status.json")));

            var again = await Run([.. args, "--resume"]);
            Assert.Equal(0, again.Code);
            Assert.Contains("completed: 4/4 steps", again.Out);
            Assert.Equal(5, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // header + 4 steps, none duplicated
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Train_Fdsl_With_Missing_Spec_Fails_With_Message()
    {
        var dir = Directory.CreateTempSubdirectory("medseg-cli-train-").FullName;
        try
        {
            var (code, _, stderr) = await Run("train", "fdsl", "--out", Path.Combine(dir, "run"), "--spec", Path.Combine(dir, "missing.json"), "--device", "cpu");
            Assert.Equal(1, code);
            Assert.Contains("missing.json", stderr);
        }
        finally { Directory.Delete(dir, true); }
    }
}
