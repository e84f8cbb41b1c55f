using System.Text.Json;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;

namespace MedSeg.Training.Tests.Methods;

public class PretextOptionsJsonTests
{
    [Fact]
    public void Options_Round_Trip_Through_Json_Default_Missing_Fields_And_Refuse_Unknown_Ones()
    {
        var lwi = MethodCatalog.Default.Get("lwi");
        var o = new LwiOptions { OutputDir = "run", DatasetDir = "d", Chunks = 3, Variant = LwiOptions.CodeCompatible, ModelArgs = new() { ["hidden_size"] = "24" } };
        var back = (LwiOptions)lwi.ReadOptions(JsonDocument.Parse(o.ToJson()).RootElement);
        Assert.Equal(o.ToJson(), back.ToJson());
        Assert.Equal(new LwiOptions().MaskRatio, ((LwiOptions)lwi.ReadOptions(JsonDocument.Parse("""{"outputDir":"r"}""").RootElement)).MaskRatio);
        Assert.Contains("maskRatio", o.ToJson());
        Assert.DoesNotContain("poolAxis", o.ToJson()); // derived values are not options
        Assert.Throws<JsonException>(() => lwi.ReadOptions(JsonDocument.Parse("""{"outputDir":"r","maskRatoi":0.5}""").RootElement));

        var swin = MethodCatalog.Default.Get("swin-ssl");
        var s = new SwinSslOptions { OutputDir = "run", SourceDir = "d", Temperature = 0.2 };
        Assert.Equal(s.ToJson(), ((SwinSslOptions)swin.ReadOptions(JsonDocument.Parse(s.ToJson()).RootElement)).ToJson());
        Assert.Throws<JsonException>(() => swin.ReadOptions(JsonDocument.Parse("""{"outputDir":"r","temp":0.5}""").RootElement));
        Assert.Equal((4e-4, 0.1, 500), (new SwinSslOptions().LearningRate, new SwinSslOptions().WeightDecay, new SwinSslOptions().WarmupSteps));
        Assert.Equal((1e-4, 1e-5, 0.4, 16, 6), (new LwiOptions().LearningRate, new LwiOptions().WeightDecay, new LwiOptions().MaskRatio, new LwiOptions().MaskPatch, new LwiOptions().EffectiveChunks));
        Assert.Equal(3, new LwiOptions { Model = "SwinUNETR" }.EffectiveChunks);
    }
}
