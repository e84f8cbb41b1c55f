using System.CommandLine;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Tests.Commands;

public class PretextTrainCommandsTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MedSegCommand.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Train_Lwi_Tiny_Writes_Per_Term_Metrics_And_Bad_Options_Leave_Nothing()
    {
        var dir = Directory.CreateTempSubdirectory("medseg-cli-lwi-").FullName;
        try
        {
            var data = Path.Combine(dir, "data");
            Directory.CreateDirectory(Path.Combine(data, "imagesTr"));
            Directory.CreateDirectory(Path.Combine(data, "labelsTr"));
            const int n = 32 * 32 * 32;
            for (int i = 0; i < 2; i++)
            {
                // A gradient along Z (so the chunk order is visible), one case shifted.
                var image = Enumerable.Range(0, n).Select(v => (float)(v / 1024 + i)).ToArray();
                NiftiWriter.Write(new Volume(32, 32, 32, image), Path.Combine(data, "imagesTr", $"c{i}_0000.nii.gz"));
                NiftiWriter.Write(new Volume(32, 32, 32, new byte[n]), Path.Combine(data, "labelsTr", $"c{i}.nii.gz"));
            }
            File.WriteAllText(Path.Combine(data, "dataset.json"), """
                {"labels": {"0": "background"}, "training": [
                  {"image": "./imagesTr/c0_0000.nii.gz", "label": "./labelsTr/c0.nii.gz"},
                  {"image": "./imagesTr/c1_0000.nii.gz", "label": "./labelsTr/c1.nii.gz"}]}
                """);
            var run = Path.Combine(dir, "run");
            var (code, stdout, stderr) = await Run("train", "lwi", "--out", run, "--dataset", data, "--crop", "32", "--chunks", "2",
                "--feature-size", "4", "--model-arg", "hidden_size=24", "--model-arg", "mlp_dim=48", "--model-arg", "num_heads=2",
                "--batch", "2", "--steps", "3", "--checkpoint-every", "3", "--window", "0,32", "--device", "cpu", "--threads", "1");
            Assert.True(code == 0, stderr);
            Assert.Contains("completed: 3/3 steps", stdout);
            var header = File.ReadAllLines(Path.Combine(run, "metrics.csv"))[0].Split(',');
            Assert.Contains("loss_rec", header);
            Assert.Contains("loss_order", header);
            Assert.Contains("\"variant\": \"paper\"", File.ReadAllText(Path.Combine(run, "config.json")));

            var bad = Path.Combine(dir, "bad");
            var refused = await Run("train", "lwi", "--out", bad, "--dataset", data, "--chunks", "7", "--mask-patch", "0");
            Assert.Equal(2, refused.Code);
            Assert.Contains("Chunks (--chunks) must divide the crop 96, got 7.", refused.Err);
            Assert.Contains("Mask patch (--mask-patch) must be between 1 and 512, got 0.", refused.Err);
            var swin = await Run("train", "swin-ssl", "--out", bad, "--source", data, "--feature-size", "10", "--batch", "1");
            Assert.Equal(2, swin.Code);
            Assert.Contains("Feature size (--feature-size) must be divisible by 12, got 10.", swin.Err);
            Assert.Contains("Batch (--batch) must be between 2 and 256, got 1.", swin.Err);
            Assert.False(Directory.Exists(bad));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
