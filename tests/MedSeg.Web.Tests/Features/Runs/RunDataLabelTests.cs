using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Issue 12, point 5: runs showed "Data: dataset 3" instead of its name, and a fine-tune "on the fly".</summary>
public sealed class RunDataLabelTests
{
    [Fact]
    public void Dataset_run_shows_the_datasets_name()
    {
        var run = new TrainingRun { DatasetId = 3, Dataset = new Dataset { Id = 3, Name = "avs-16x64" } };
        Assert.Equal("avs-16x64", RunDataLabel.Of(run));
        Assert.Equal("avs-16x64", RunSettings.Of(run).Data);
    }

    [Fact]
    public void Dataset_not_loaded_falls_back_to_its_id() =>
        Assert.Equal("dataset 3", RunDataLabel.Of(new TrainingRun { DatasetId = 3 }));

    [Fact]
    public void Fine_tune_shows_its_labelled_dataset()
    {
        var run = new TrainingRun { Method = TrainingMethods.FineTune, ConfigJson = """{"datasetDir":"downstream/phantom-6","steps":24}""" };
        Assert.Equal("labelled: phantom-6", RunDataLabel.Of(run));
    }

    [Fact]
    public void Spec_run_is_on_the_fly() =>
        Assert.Equal("on the fly", RunDataLabel.Of(new TrainingRun { Method = TrainingMethods.Fdsl, SpecJson = "{}" }));
}
