using MedSeg.Testing;
using System.Text.Json;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;

namespace MedSeg.Training.Tests.Devices;

public class ComputeRecordTests
{
    [Fact]
    public void Run_Records_The_Resolved_Device_And_Switches()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), 3);
        o.Device = "auto"; // resolved once: cpu here
        TestRuns.Trainer(o).Run();
        var run = new RunFolder(o.OutputDir);
        using var config = JsonDocument.Parse(File.ReadAllText(run.ConfigPath));
        var compute = config.RootElement.GetProperty("compute");
        Assert.Equal("auto", compute.GetProperty("requestedDevice").GetString());
        Assert.Equal("cpu", compute.GetProperty("device").GetString());
        Assert.Equal("fp32", compute.GetProperty("precision").GetString());
        Assert.Equal(JsonValueKind.Null, compute.GetProperty("cudnnBenchmark").ValueKind); // CPU: not applicable
        Assert.Equal(JsonValueKind.Null, compute.GetProperty("allowTf32").ValueKind);
        Assert.False(compute.GetProperty("pinnedMemory").GetBoolean());
        Assert.Contains("libtorch 2.10.0", compute.GetProperty("libtorch").GetString());
        Assert.Equal("cpu", config.RootElement.GetProperty("device").GetString());
        var state = CheckpointStore.ReadState(new CheckpointStore(run.CheckpointsDir).Latest()!);
        Assert.Equal("cpu", state.Device);
        Assert.Equal("fp32", state.Precision);
        Assert.Contains("compute: device cpu (asked: auto)", File.ReadAllText(run.LogPath));
    }
}
