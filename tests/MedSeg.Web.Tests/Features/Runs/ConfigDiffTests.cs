using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class ConfigDiffTests
{
    [Fact]
    public void Differences_ShowOnlyKeysThatDiffer()
    {
        var a = ConfigDiff.Flatten("""{"model":"SwinUNETR","lr":1e-4,"batch":8,"modelArgs":{"depths":"2,2"},"tags":["a"]}""");
        var b = ConfigDiff.Flatten("""{"model":"SwinUNETR","lr":0.0002,"batch":8,"modelArgs":{"depths":"2,4"},"tags":["a"]}""");
        var c = ConfigDiff.Flatten("""{"model":"SwinUNETR","lr":0.0001,"batch":8,"modelArgs":{"depths":"2,2"},"tags":["a"],"extra":true}""");

        var rows = ConfigDiff.Differences([a, b, c]);

        Assert.Equal(["extra", "lr", "modelArgs.depths"], rows.Select(r => r.Key));
        Assert.Equal(["0.0001", "0.0002", "0.0001"], rows.Single(r => r.Key == "lr").Values);
        Assert.Equal([null, null, "true"], rows.Single(r => r.Key == "extra").Values);
    }

    [Fact]
    public void Differences_IdenticalConfigs_Empty()
    {
        var json = """{"model":"UNETR","crop":96}""";

        Assert.Empty(ConfigDiff.Differences([ConfigDiff.Flatten(json), ConfigDiff.Flatten(json)]));
        Assert.Equal(2, ConfigDiff.All([ConfigDiff.Flatten(json), ConfigDiff.Flatten(json)]).Count);
    }
}
