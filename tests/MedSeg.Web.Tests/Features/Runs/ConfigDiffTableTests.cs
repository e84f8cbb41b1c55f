using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Runs.Components;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class ConfigDiffTableTests : PortalComponentTest
{
    private static TrainingRun Run(int id, string config, int? dataset = null, string? tags = null) =>
        new() { Id = id, Name = $"run {id}", ConfigJson = config, DatasetId = dataset, Tags = tags, ModelName = "SwinUNETR" };

    [Fact]
    public void ConfigDiffTable_ShowsOnlyDifferingKeys_AllOnRequest()
    {
        TrainingRun[] runs =
        [
            Run(1, """{"model":"SwinUNETR","crop":96,"batchSize":8,"learningRate":0.0001}""", dataset: 4),
            Run(2, """{"model":"SwinUNETR","crop":96,"batchSize":2,"learningRate":1e-4}""", dataset: 4),
        ];

        var table = Render<ConfigDiffTable>(p => p.Add(c => c.Runs, runs));

        var rows = table.FindAll("[data-testid=config-diff-row]");
        var row = Assert.Single(rows);
        Assert.Equal("batchSize", row.GetAttribute("data-key"));
        Assert.Equal(["batchSize", "8", "2"], row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));

        table.Find("input[data-testid=config-diff-all], [data-testid=config-diff-all] input").Change(true);

        var keys = table.FindAll("[data-testid=config-diff-row]").Select(r => r.GetAttribute("data-key")).ToList();
        Assert.Equal(["batchSize", "crop", "data", "learningRate", "method", "model"], keys);
    }

    [Fact]
    public void ConfigDiffTable_IdenticalRuns_SaysSo()
    {
        TrainingRun[] runs = [Run(1, """{"crop":96}"""), Run(2, """{"crop":96}""")];

        var table = Render<ConfigDiffTable>(p => p.Add(c => c.Runs, runs));

        Assert.Empty(table.FindAll("[data-testid=config-diff-row]"));
        Assert.NotNull(table.Find("[data-testid=config-diff-same]"));
    }
}
