using MedSeg.Training.Checkpoints;
using MedSeg.Training.Progress;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Checkpoints;

public class CheckpointStoreTests
{
    [Fact]
    public void Half_Written_Checkpoints_Are_Ignored_And_Cleaned_Up()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.File("checkpoints");
        // A crash mid-save leaves a temporary folder, and a step folder without state.json is incomplete.
        Directory.CreateDirectory(Path.Combine(dir, ".tmp-step-000000009-abc"));
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "step-000000012")).FullName, "model.bin"), "partial");
        var complete = Directory.CreateDirectory(Path.Combine(dir, "step-000000008")).FullName;
        File.WriteAllText(Path.Combine(complete, CheckpointStore.StateFile), "{}");

        var store = new CheckpointStore(dir);
        Assert.Equal(complete, store.Latest());
        Assert.False(Directory.Exists(Path.Combine(dir, ".tmp-step-000000009-abc")));
    }

    [Fact]
    public void Channel_Progress_Keeps_Newest_Reports_When_Reader_Lags()
    {
        var channel = new ChannelProgress(capacity: 2);
        for (int i = 1; i <= 5; i++) channel.Report(new TrainingProgress(i, 5, 0, 0.5, 1e-4, 1, 0, 1, null));
        channel.Complete();
        var steps = new List<long>();
        while (channel.Reader.TryRead(out var p)) steps.Add(p.Step);
        Assert.Equal(new long[] { 4, 5 }, steps);
    }
}
