using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class RunSettingsTests
{
    [Fact]
    public void Summary_ShowsFeatureSize_OnlyForNetworksThatHaveOne()
    {
        var swin = RunSettings.Of(new TrainingRun
        {
            ConfigJson = """{"model":"SwinUNETR","featureSize":12,"crop":32,"batchSize":2,"learningRate":0.0001}""", TotalSteps = 500,
        });
        var unet = RunSettings.Of(new TrainingRun
        {
            ConfigJson = """{"model":"BasicUNet","featureSize":48,"modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32}""", DatasetId = 3,
        });

        Assert.Equal("fs 12 · crop 32³ · batch 2 · lr 1E-4 · 500 steps · on the fly", swin.Summary);
        Assert.Null(unet.FeatureSize);
        Assert.Equal("crop 32³ · dataset 3", unet.Summary);
    }
}
