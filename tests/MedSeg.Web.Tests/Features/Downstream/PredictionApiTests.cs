using System.Net;
using System.Net.Http.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Bunit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Downstream.Components;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>A fake finished fine-tune run (real NIfTI files, real run row) served through /api/runs/{id}/predictions.</summary>
public sealed class PredictionApiTests
{
    [Fact]
    public async Task PredictionEndpoints_ListAndServeFiles_AgreementHasExpectedCounts()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "viewer@predictions.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);

        // Downstream dataset (MSD layout) with one case, 8×8×4; label: class 1 in the first 32 voxels, class 2 in the next 32.
        var datasetDir = Path.Combine(factory.DataRoot, "downstream", "tiny");
        Directory.CreateDirectory(Path.Combine(datasetDir, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(datasetDir, "labelsTr"));
        var image = new float[256];
        for (int i = 0; i < image.Length; i++) image[i] = i;
        var label = new byte[256];
        for (int i = 0; i < 64; i++) label[i] = (byte)(i < 32 ? 1 : 2);
        var prediction = (byte[])label.Clone();
        for (int i = 0; i < 10; i++) prediction[i] = 0;      // 10 false negatives (missed)
        for (int i = 32; i < 37; i++) prediction[i] = 1;     // 5 false negatives (wrong class)
        for (int i = 100; i < 107; i++) prediction[i] = 2;   // 7 false positives
        NiftiWriter.Write(new Volume(8, 8, 4, image), Path.Combine(datasetDir, "imagesTr", "case_1.nii.gz"));
        NiftiWriter.Write(new Volume(8, 8, 4, label), Path.Combine(datasetDir, "labelsTr", "case_1.nii.gz"));
        File.WriteAllText(Path.Combine(datasetDir, "dataset.json"), """
            {"name":"tiny","labels":{"0":"background","1":"a","2":"b"},"modality":{"0":"CT"},"numTraining":1,
             "training":[{"image":"./imagesTr/case_1.nii.gz","label":"./labelsTr/case_1.nii.gz"}],"test":[]}
            """);

        int runId;
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var run = new TrainingRun
            {
                Name = "ft", Method = TrainingMethods.FineTune, ModelName = "BasicUNet",
                ConfigJson = FineTuneRunConfig.Write(new FineTuneOptions { DatasetDir = "downstream/tiny" }),
                Status = TrainingRunStatus.Completed, OwnerId = user.Id, LabId = user.LabId, CreatedAt = DateTime.UtcNow, RunFolder = "runs/ft",
            };
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var predictions = Path.Combine(factory.DataRoot, "runs", "ft", "predictions");
        Directory.CreateDirectory(predictions);
        NiftiWriter.Write(new Volume(8, 8, 4, prediction), Path.Combine(predictions, "case_1.nii.gz"));

        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/runs/{runId}/predictions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/runs/{runId}/predictions/case_1/agreement.nii.gz")).StatusCode);

        using var client = account.CreateClient(factory);
        Assert.Equal(["case_1"], (await client.GetFromJsonAsync<string[]>($"api/runs/{runId}/predictions"))!);

        var temp = Path.Combine(factory.DataRoot, "downloads");
        Directory.CreateDirectory(temp);
        async Task<Volume> DownloadAsync(string file)
        {
            var response = await client.GetAsync($"api/runs/{runId}/predictions/case_1/{file}.nii.gz");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {response.StatusCode}");
            var path = Path.Combine(temp, file + ".nii.gz");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            return NiftiReader.Read(path);
        }
        Assert.Equal(image, (await DownloadAsync("image")).As<float>());
        Assert.Equal(label, (await DownloadAsync("label")).As<byte>());
        Assert.Equal(prediction, (await DownloadAsync("prediction")).As<byte>());
        var agreement = (await DownloadAsync("agreement")).As<byte>();
        Assert.Equal(64 - 15, agreement.Count(v => v == 1));
        Assert.Equal(7, agreement.Count(v => v == 2));
        Assert.Equal(15, agreement.Count(v => v == 3));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/runs/{runId}/predictions/case_2/image.nii.gz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/runs/{runId}/predictions/..%2Fcase_1/image.nii.gz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/runs/{runId + 100}/predictions")).StatusCode);

        // The run page's card lists the case and points the viewer at the prediction, then (mode switch) at the agreement map.
        await using var bunit = new Bunit.BunitContext();
        bunit.JSInterop.Mode = Bunit.JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton(factory.Services.GetRequiredService<DataPaths>());
        bunit.Render<MudBlazor.MudPopoverProvider>();
        TrainingRun row;
        await using (var db = await factory.Db.CreateDbContextAsync()) row = await db.TrainingRuns.FindAsync(runId) ?? throw new InvalidOperationException();
        var cut = bunit.Render<PredictionsCard>(p => p.Add(c => c.Run, row));
        var viewer = cut.FindComponent<MedSeg.Viewer.SliceViewer>();
        Assert.Equal($"api/runs/{runId}/predictions/case_1/image.nii.gz", viewer.Instance.ImageUrl);
        Assert.Equal($"api/runs/{runId}/predictions/case_1/prediction.nii.gz", viewer.Instance.LabelUrl);
        Assert.Equal(new Dictionary<int, string> { [1] = "a", [2] = "b" }, viewer.Instance.ClassNames);
        Assert.Empty(cut.FindAll("[data-testid=prediction-legend]"));
        var modeSelect = cut.FindComponents<MudBlazor.MudSelect<string>>()[1];
        await cut.InvokeAsync(() => modeSelect.Instance.ValueChanged.InvokeAsync("agreement"));
        viewer = cut.FindComponent<MedSeg.Viewer.SliceViewer>();
        Assert.Equal($"api/runs/{runId}/predictions/case_1/agreement.nii.gz", viewer.Instance.LabelUrl);
        Assert.Equal("false negative", viewer.Instance.ClassNames![3]);
        Assert.Single(cut.FindAll("[data-testid=prediction-legend]"));

        // A broken dataset.json (read by the light MsdCaseList) is a 422 naming the file and entry, not a 500.
        File.WriteAllText(Path.Combine(datasetDir, "dataset.json"), """
            {"name":"tiny","labels":{"0":"background"},"numTraining":1,"training":[{"label":"./labelsTr/case_1.nii.gz"}]}
            """);
        var broken = await client.GetAsync($"api/runs/{runId}/predictions");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        var problem = await broken.Content.ReadAsStringAsync();
        Assert.Contains("dataset.json", problem);
        Assert.Contains("training[0]", problem);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync($"api/runs/{runId}/predictions/case_1/image.nii.gz")).StatusCode);
    }
}
