using MedSeg.Training.Networks.Nets;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Nets;

public class UnetrTests
{
    [Theory]
    [InlineData(1, 2, 32, 32, 32, true, true)]
    [InlineData(2, 4, 16, 32, 48, true, false)]
    [InlineData(1, 3, 32, 16, 16, false, true)]
    public void Forward_Output_Shape_Per_Configuration(long inChannels, long outChannels, long d, long h, long w, bool convBlock, bool resBlock)
    {
        using var net = new Unetr(inChannels, outChannels, [d, h, w], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 3,
            convBlock: convBlock, resBlock: resBlock);
        net.eval();
        using var _ = no_grad();
        using var x = randn(new[] { 1, inChannels, d, h, w });
        using var y = net.forward(x);
        Assert.Equal(new[] { 1, outChannels, d, h, w }, y.shape);
    }

    [Fact]
    public void BasicBlock_Variant_Has_Norm_Keys_Without_Residual_Conv()
    {
        using var net = new Unetr(1, 2, [16], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 3, resBlock: false, normName: "batch");
        var keys = net.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder1.layer.norm1.running_mean", keys);
        Assert.DoesNotContain("encoder1.layer.conv3.conv.weight", keys);
        Assert.Contains("decoder2.conv_block.conv2.conv.weight", keys);
    }

    [Fact]
    public void Rejected_Arguments_Throw_Naming_The_Problem()
    {
        Assert.Contains("divisible by num_heads",
            Assert.Throws<ArgumentException>(() => new Unetr(1, 2, [32], hiddenSize: 100, numHeads: 12)).Message);
        Assert.Contains("dropout_rate",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Unetr(1, 2, [32], hiddenSize: 24, numHeads: 3, dropoutRate: 1.5)).Message);
        Assert.Contains("multiples of the patch size",
            Assert.Throws<ArgumentException>(() => new Unetr(1, 2, [40], hiddenSize: 24, numHeads: 3)).Message);
        Assert.Contains("img_size needs 1 or 3",
            Assert.Throws<ArgumentException>(() => new Unetr(1, 2, [32, 32], hiddenSize: 24, numHeads: 3)).Message);
        Assert.Throws<NotSupportedException>(() => new Unetr(1, 2, [32], hiddenSize: 24, numHeads: 3, projType: "perceptron"));
        Assert.Throws<NotSupportedException>(() => new Unetr(1, 2, [32], hiddenSize: 24, numHeads: 3, spatialDims: 2));
    }

    [Fact]
    public void Forward_Rejects_Input_Of_Other_Size()
    {
        using var net = new Unetr(1, 2, [16], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 3);
        using var x = randn(new long[] { 1, 1, 32, 32, 32 });
        Assert.Contains("expects input (batch, 1, 16, 16, 16)", Assert.Throws<ArgumentException>(() => net.forward(x)).Message);
    }
}
