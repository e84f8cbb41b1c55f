using MedSeg.Training.Evaluation;
using MedSeg.Training.Networks;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Evaluation;

public class ModuleFeatureExtractorTests
{
    private static nn.Module<Tensor, Tensor> TinyUNet() => ModelFactory.Create("BasicUNet",
        new Dictionary<string, string> { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 6)" });

    [Fact]
    public void Input_Of_Output_Conv_Gives_Penultimate_Features_That_Reproduce_The_Logits()
    {
        using var net = TinyUNet();
        using var image = randn(new long[] { 1, 1, 16, 16, 16 });
        var extract = ModuleFeatureExtractor.Create(net, new FeatureSource.InputOf("final_conv"));

        using var features = extract(image);

        Assert.Equal(new long[] { 1, 6, 16, 16, 16 }, features.shape);
        // Feeding the captured features through the 1×1×1 output conv gives the network's logits.
        using var _ = no_grad();
        var finalConv = (nn.Module<Tensor, Tensor>)net.named_modules().Single(m => m.name == "final_conv").module;
        net.eval();
        using var logits = net.call(image);
        Assert.True(TensorAssert.MaxAbsDifference(finalConv.forward(features), logits) < 1e-5);
    }

    [Fact]
    public void Coarse_Intermediate_Is_Upsampled_To_The_Image_Size()
    {
        using var net = new ProbeNet();
        using var image = randn(new long[] { 1, 1, 8, 8, 8 });
        using var features = ModuleFeatureExtractor.Create(net, new FeatureSource.OutputOf("pool"))(image);
        Assert.Equal(new long[] { 1, 1, 8, 8, 8 }, features.shape);
        // Trilinear upsampling of a 4³ average-pooled map: the mean is preserved up to border effects, values stay in range.
        using var pooled = nn.functional.avg_pool3d(image, new long[] { 2, 2, 2 });
        Assert.True(features.max().item<float>() <= pooled.max().item<float>() + 1e-5);
    }

    [Fact]
    public void Submodule_Run_Through_Forward_Is_Reported()
    {
        using var net = new ProbeNet();
        using var image = randn(new long[] { 1, 1, 8, 8, 8 });
        var extract = ModuleFeatureExtractor.Create(net, new FeatureSource.OutputOf("hidden"));
        var ex = Assert.Throws<InvalidOperationException>(() => extract(image));
        Assert.Contains("forward()", ex.Message);
    }

    [Fact]
    public void Unknown_Submodule_Lists_The_Names()
    {
        using var net = TinyUNet();
        var ex = Assert.Throws<ArgumentException>(() => ModuleFeatureExtractor.Create(net, new FeatureSource.OutputOf("nope"))(randn(new long[] { 1, 1, 16, 16, 16 })));
        Assert.Contains("final_conv", ex.Message);
    }

    [Fact]
    public void SwinUnetr_Penultimate_Features_And_Hidden_States_Are_Full_Resolution_Maps()
    {
        using var net = ModelFactory.Create("SwinUNETR",
            new Dictionary<string, string> { ["in_channels"] = "1", ["out_channels"] = "2", ["feature_size"] = "12", ["depths"] = "(1, 1, 1, 1)" });
        using var image = randn(new long[] { 1, 1, 32, 32, 32 });

        using var penultimate = ModuleFeatureExtractor.Create(net, FeatureSource.Parse("input:out"))(image);
        using var hidden = ModuleFeatureExtractor.Create(net, FeatureSource.Parse("hidden:swinViT:2"))(image);
        using var coarse = ModuleFeatureExtractor.Create(net, FeatureSource.Parse("hidden:swinViT:2"), upsampleToImage: false)(image);

        Assert.Equal(new long[] { 1, 12, 32, 32, 32 }, penultimate.shape);
        Assert.Equal(new long[] { 1, 48, 32, 32, 32 }, hidden.shape);   // stage 2: 4·feature_size channels at 1/8 resolution
        Assert.Equal(new long[] { 1, 48, 4, 4, 4 }, coarse.shape);
    }

    [Theory]
    [InlineData("hidden:swinViT:4", typeof(FeatureSource.HiddenStateOf))]
    [InlineData("output", typeof(FeatureSource.Output))]
    [InlineData("input:out", typeof(FeatureSource.InputOf))]
    [InlineData("output:swinViT.layers4", typeof(FeatureSource.OutputOf))]
    public void Feature_Source_Parses(string text, Type expected) => Assert.IsType(expected, FeatureSource.Parse(text));

    /// <summary>pool is invoked with call() (hooks fire), hidden with forward() (hooks do not).</summary>
    private sealed class ProbeNet : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> pool = nn.AvgPool3d(2);
        private readonly nn.Module<Tensor, Tensor> hidden = nn.Identity();

        public ProbeNet() : base("ProbeNet") => RegisterComponents();

        public override Tensor forward(Tensor x) => hidden.forward(pool.call(x));
    }
}
