using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Data.Entities;
using MedSeg.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// A plain folder of NIfTI images under &lt;data root&gt;/unlabelled/ as a self-supervised run's source: path checks
/// (outside the folder, links, missing, another lab's, no NIfTI) are named and leave no row; a good folder trains.
/// </summary>
public sealed class UnlabelledFolderSourceTests
{
    private static void WriteImages(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
        {
            var data = new float[40 * 40 * 36];
            for (int v = 0; v < data.Length; v++) data[v] = (v * 7919 + i * 104729) % 400 - 175;
            NiftiWriter.Write(new Volume(40, 40, 36, data, [1.5, 1.5, 2.0]), Path.Combine(folder, $"scan_{i}.nii.gz"));
        }
    }

    [Fact]
    public async Task Bad_folders_are_refused_by_name_and_a_plain_NIfTI_folder_trains_an_LWI_run()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@unlabelled.test");
        using var client = account.CreateClient(factory);
        var root = Path.Combine(factory.DataRoot, "unlabelled");
        WriteImages(Path.Combine(root, "scans", "week1"), 3); // nested: found recursively
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "empty", "notes.txt"), "no images here");
        Directory.CreateSymbolicLink(Path.Combine(root, "linked"), Path.Combine(root, "scans"));
        WriteImages(Path.Combine(root, "withlink"), 1);
        WriteImages(Path.Combine(factory.DataRoot, "..", "outside"), 1);
        File.CreateSymbolicLink(Path.Combine(root, "withlink", "x.nii.gz"), Path.Combine(factory.DataRoot, "..", "outside", "scan_0.nii.gz"));
        WriteImages(Path.Combine(root, "theirs"), 1);
        File.WriteAllText(Path.Combine(root, "theirs", ".medseg-lab"), "another-lab");

        object Request(string source) => new { name = "lwi", method = "lwi", config = MethodRunApiTests.TinyLwi(3), downstream = source };
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/../runs"), "Source: 'unlabelled/../runs' is outside the lab's unlabelled data folder");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/scans/week1"), "is outside the lab's unlabelled data folder");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/missing"), "Source: 'unlabelled/missing' does not exist");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/theirs"), "Source: 'unlabelled/theirs' does not exist");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/linked"), "Source: 'unlabelled/linked' is a symbolic link");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/withlink"), "Source: 'unlabelled/withlink' contains a symbolic link ('x.nii.gz')");
        await MethodRunApiTests.AssertRefusedAsync(client, Request("unlabelled/empty"), "Source: 'unlabelled/empty' holds no NIfTI images (.nii or .nii.gz).");
        await using (var db = await factory.Db.CreateDbContextAsync())
            Assert.Equal(0, await db.TrainingRuns.CountAsync());

        var run = await MethodRunApiTests.PostAsync(client, Request("unlabelled/scans"));
        var done = await RunTestHelpers.WaitForAsync(factory, run.Id, r => r.IsFinished, TimeSpan.FromMinutes(4));
        Assert.True(done.Status == TrainingRunStatus.Completed, $"{done.Status} {done.ErrorText}");
        Assert.Equal("unlabelled/scans", System.Text.Json.JsonDocument.Parse(done.ConfigJson).RootElement.GetProperty("datasetDir").GetString());
        var config = await File.ReadAllTextAsync(Path.Combine(factory.DataRoot, done.RunFolder, "config.json"));
        Assert.Contains("scans", config);
        Assert.Contains("(3 unlabelled images)", config); // the NIfTI folder source, found recursively
    }
}
