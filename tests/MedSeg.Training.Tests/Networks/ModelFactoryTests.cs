using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Layers;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Weights;

namespace MedSeg.Training.Tests.Networks;

public class ModelFactoryTests
{
    [Fact]
    public void PythonLiteral_Parses_Monai_Argument_Forms()
    {
        Assert.Equal(64L, PythonLiteral.Parse("64"));
        Assert.Equal(0.1, PythonLiteral.Parse("0.1"));
        Assert.Equal(true, PythonLiteral.Parse("True"));
        Assert.Null(PythonLiteral.Parse("None"));
        Assert.Equal("instance", PythonLiteral.Parse("instance"));
        Assert.Equal("instance", PythonLiteral.Parse("'instance'"));
        Assert.Equal(new List<object?> { 2L, 2L, 2L, 2L }, PythonLiteral.Parse("(2, 2, 2, 2)"));
        var spec = LayerSpec.Parse("(\"LeakyReLU\", {\"negative_slope\": 0.1, 'inplace': True})");
        Assert.Equal("LeakyReLU", spec.Name);
        Assert.Equal(0.1, spec.GetDouble("negative_slope", 0));
        Assert.True(spec.GetBool("inplace", false));
        Assert.Throws<FormatException>(() => PythonLiteral.Parse("(1, 2"));
    }

    [Fact]
    public void FromMetadata_Builds_Unetr_Matching_The_Fixture_Keys()
    {
        var metadata = SafetensorsHeader.Read(Fixtures.Unetr).Metadata;
        using var model = ModelFactory.FromMetadata(metadata);
        Assert.IsType<Unetr>(model);
        var report = StateDictLoader.LoadFile(model, Fixtures.Unetr);
        Assert.True(report.IsExact, report.ToString());
    }

    [Fact]
    public void Create_BasicUNet_Parses_Tuples_And_Layer_Specs()
    {
        using var model = ModelFactory.Create("basicunet", new Dictionary<string, string>
        {
            ["in_channels"] = "2",
            ["out_channels"] = "3",
            ["features"] = "(4, 4, 8, 8, 16, 4)",
            ["norm"] = "('batch', {'affine': True})",
            ["act"] = "relu",
            ["dropout"] = "0.0",
        });
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(new long[] { 4, 2, 3, 3, 3 }, shapes["conv_0.conv_0.conv.weight"]);
        Assert.Contains("conv_0.conv_0.adn.N.running_var", shapes.Keys);
        Assert.Equal(new long[] { 3, 4, 1, 1, 1 }, shapes["final_conv.weight"]);
    }

    [Theory]
    [InlineData("UNETR", "in_channels=1;out_channels=2", "needs argument 'img_size'")]
    [InlineData("UNETR", "in_channels=1;out_channels=2;img_size=32;feature_sise=8", "does not take argument(s) 'feature_sise'")]
    [InlineData("UNETR", "in_channels=one;out_channels=2;img_size=32", "argument 'in_channels' = 'one' is invalid")]
    [InlineData("BasicUNet", "features=(1, 2", "argument 'features' = '(1, 2' is invalid")]
    [InlineData("ResNet", "", "Unknown model 'ResNet'")]
    [InlineData("SwinUNETR", "out_channels=2", "needs argument 'in_channels'")]
    public void Create_Rejects_Bad_Arguments_With_Clear_Message(string model, string arguments, string expected)
    {
        var args = arguments.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var ex = Assert.ThrowsAny<Exception>(() => ModelFactory.Create(model, args));
        Assert.Contains(expected, ex.Message);
    }
}
