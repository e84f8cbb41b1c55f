using MedSeg.Cli;
using MedSeg.Cli.Commands;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Verification;
using MedSeg.Training.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MedSeg.Cli.Tests.Commands;

public sealed class ModelVerifyCommandTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string UnetrFixture = MedSeg.Training.Tests.Fixtures.Unetr;
    private readonly string _dir = Directory.CreateTempSubdirectory("medseg-cli-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = MedSegCommand.Build().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        log.WriteLine(output.ToString());
        log.WriteLine(error.ToString());
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Verify_PctNetFixture_ComparesEveryDeepSupervisionOutput_AndATamperedOneFails()
    {
        var fixture = Path.Combine(MedSeg.Training.Tests.Fixtures.PctNet, "pctnet_mode1_32x64x64.safetensors");
        var (exit, output, _) = Run("model", "verify", fixture);
        Assert.Equal(ModelCommands.ExitPassed, exit);
        foreach (var name in new[] { "__output__", "__output_ds1__", "__output_ds2__", "__output_ds3__" })
            Assert.Matches($@"{name}\s+\[[0-9, ]+\] max-abs \S+ ok", output);

        // The same weights with one deep-supervision output changed: that output alone fails, and so does the verify.
        using var content = SafetensorsFile.Read(fixture);
        var tensors = content.Tensors.ToDictionary(p => p.Key, p => p.Value);
        using var shifted = tensors["__output_ds3__"] + 0.01f;
        tensors["__output_ds3__"] = shifted;
        var tampered = Path.Combine(_dir, "pct.safetensors");
        SafetensorsFile.Write(tampered, tensors, content.Metadata);
        var (exit2, output2, _) = Run("model", "verify", tampered);
        Assert.Equal(ModelCommands.ExitFailed, exit2);
        Assert.Matches(@"__output_ds3__\s+\[[0-9, ]+\] max-abs \S+ FAIL", output2);
        Assert.Matches(@"__output__\s+\[[0-9, ]+\] max-abs \S+ ok", output2);
    }

    /// <summary>A small BasicUNet fixture of the same form as MONAI's: random weights, input and the model's own output.</summary>
    private string WriteBasicUNetFixture(string name, Dictionary<string, string> metadata, Func<Tensor, Tensor>? tamper = null)
    {
        using var net = new BasicUNet(inChannels: 1, outChannels: 2, features: [4, 4, 8, 8, 8, 4]);
        net.eval();
        using var scope = NewDisposeScope();
        var input = randn(new long[] { 1, 1, 16, 16, 16 });
        Tensor output;
        using (no_grad()) output = net.forward(input);
        var tensors = net.state_dict().ToDictionary(p => p.Key, p => p.Value);
        tensors[FixtureVerifier.InputName] = input;
        tensors[FixtureVerifier.OutputName] = tamper?.Invoke(output) ?? output;
        var path = Path.Combine(_dir, name);
        SafetensorsFile.Write(path, tensors, metadata);
        return path;
    }

    private static Dictionary<string, string> BasicUNetMetadata(string features = "(4, 4, 8, 8, 8, 4)") => new()
    {
        ["model"] = "BasicUNet",
        ["in_channels"] = "1",
        ["out_channels"] = "2",
        ["features"] = features,
    };

    [Fact]
    public void Verify_Monai_Unetr_Fixture_Passes_Within_Default_Tolerance()
    {
        var (exit, output, _) = Run("model", "verify", UnetrFixture);
        Assert.Equal(ModelCommands.ExitPassed, exit);
        Assert.Contains("model:       UNETR", output);
        Assert.Contains("parameters:  2,439,451", output);
        Assert.Contains("loaded 254, missing 0, unexpected 0, shape mismatches 0", output);
        Assert.Contains("PASS", output);
    }

    [Fact]
    public void Verify_With_Tolerance_Below_Achieved_Error_Fails_With_Exit_1()
    {
        var (exit, output, _) = Run("model", "verify", UnetrFixture, "--tolerance", "1e-9");
        Assert.Equal(ModelCommands.ExitFailed, exit);
        Assert.Contains("FAIL", output);
    }

    [Fact]
    public void Verify_Any_Fixture_Of_That_Form_Works()
    {
        var good = WriteBasicUNetFixture("basicunet.safetensors", BasicUNetMetadata());
        var (exit, output, _) = Run("model", "verify", good);
        Assert.Equal(ModelCommands.ExitPassed, exit);
        Assert.Contains("max-abs:     0.000E+000", output);

        var shifted = WriteBasicUNetFixture("shifted.safetensors", BasicUNetMetadata(), o => o + 0.01);
        Assert.Equal(ModelCommands.ExitFailed, Run("model", "verify", shifted).Exit);
    }

    [Fact]
    public void Verify_Checkpoint_Not_Matching_Metadata_Prints_Load_Report_And_Exits_1()
    {
        var path = WriteBasicUNetFixture("mismatch.safetensors", BasicUNetMetadata(features: "(4, 4, 8, 8, 16, 4)"));
        var (exit, output, _) = Run("model", "verify", path);
        Assert.Equal(ModelCommands.ExitFailed, exit);
        Assert.Contains("down_4.convs.conv_0.conv.weight: module [16, 8, 3, 3, 3] vs checkpoint [8, 8, 3, 3, 3]", output);
        Assert.Contains("(not run)", output);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("truncated")]
    [InlineData("no-model")]
    [InlineData("bad-argument")]
    [InlineData("bad-tolerance")]
    [InlineData("no-fixture")]
    public void Verify_Bad_Input_Exits_2_With_Clear_Message(string kind)
    {
        string path = Path.Combine(_dir, kind + ".safetensors");
        string expected;
        switch (kind)
        {
            case "missing":
                expected = "does not exist";
                break;
            case "truncated":
                var bytes = File.ReadAllBytes(WriteBasicUNetFixture("full.safetensors", BasicUNetMetadata()));
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                expected = "truncated";
                break;
            case "no-model":
                path = WriteBasicUNetFixture(kind + ".safetensors", new Dictionary<string, string> { ["in_channels"] = "1" });
                expected = "no 'model' entry";
                break;
            case "bad-tolerance":
                expected = "--tolerance 'tiny' is not a non-negative number";
                break;
            case "no-fixture":
                expected = "missing FIXTURE";
                break;
            default:
                var metadata = BasicUNetMetadata();
                metadata["feature_size"] = "8";
                path = WriteBasicUNetFixture(kind + ".safetensors", metadata);
                expected = "does not take argument(s) 'feature_size'";
                break;
        }
        string[] args = kind switch
        {
            "bad-tolerance" => ["model", "verify", UnetrFixture, "--tolerance", "tiny"],
            "no-fixture" => ["model", "verify"],
            _ => ["model", "verify", path],
        };
        var (exit, _, error) = Run(args);
        Assert.Equal(ModelCommands.ExitBadInput, exit);
        Assert.Contains(expected, error);
        Assert.Contains("error:", error);
    }
}
