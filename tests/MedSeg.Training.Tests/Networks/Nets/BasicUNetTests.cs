using MedSeg.Training.Networks.Nets;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Networks;

namespace MedSeg.Training.Tests.Networks.Nets;

public class BasicUNetTests
{
    [Fact]
    public void Default_StateDict_Has_Monai_Key_Names_And_Shapes()
    {
        using var net = new BasicUNet();
        var shapes = net.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);

        // Representative keys from MONAI basic_unet.py: TwoConv → Convolution(conv, adn(N, D, A)),
        // Down → (max_pooling, convs), UpCat → (upsample.deconv, convs), final_conv.
        Assert.Equal(new long[] { 32, 1, 3, 3, 3 }, shapes["conv_0.conv_0.conv.weight"]);
        Assert.Equal(new long[] { 32 }, shapes["conv_0.conv_0.conv.bias"]);
        Assert.Equal(new long[] { 32 }, shapes["conv_0.conv_0.adn.N.weight"]);
        Assert.Equal(new long[] { 32 }, shapes["conv_0.conv_1.adn.N.bias"]);
        Assert.Equal(new long[] { 256, 128, 3, 3, 3 }, shapes["down_4.convs.conv_0.conv.weight"]);
        Assert.Equal(new long[] { 256, 128, 2, 2, 2 }, shapes["upcat_4.upsample.deconv.weight"]);
        Assert.Equal(new long[] { 128 }, shapes["upcat_4.upsample.deconv.bias"]);
        Assert.Equal(new long[] { 128, 256, 3, 3, 3 }, shapes["upcat_4.convs.conv_0.conv.weight"]);
        Assert.Equal(new long[] { 32, 32, 2, 2, 2 }, shapes["upcat_1.upsample.deconv.weight"]);   // halves=False
        Assert.Equal(new long[] { 32, 64, 3, 3, 3 }, shapes["upcat_1.convs.conv_0.conv.weight"]);
        Assert.Equal(new long[] { 2, 32, 1, 1, 1 }, shapes["final_conv.weight"]);
        Assert.Equal(new long[] { 2 }, shapes["final_conv.bias"]);
        // Instance norm without running statistics: no buffers at all.
        Assert.DoesNotContain(shapes.Keys, k => k.Contains("running_") || k.Contains("num_batches"));
        // 18 Convolutions (conv_0: 2, down_1..4: 8, upcat_1..4: 8) × 4 keys + 4 deconvs × 2 + final_conv × 2 = 82.
        Assert.Equal(82, shapes.Count);
    }

    [Fact]
    public void Default_Parameter_Count_Matches_Hand_Count()
    {
        // Convolution(i, o) = 27·i·o + o (bias) + 2·o (affine instance norm); TwoConv(i, o) = Conv(i, o) + Conv(o, o).
        // conv_0 TwoConv(1,32)=28,704; down_1 (32,32)=55,488; down_2 (32,64)=166,272; down_3 (64,128)=664,320;
        // down_4 (128,256)=2,655,744; upcat_4 deconv 256→128 (8·256·128+128=262,272) + TwoConv(256,128)=1,327,872;
        // upcat_3 deconv 128→64 (65,600) + TwoConv(128,64)=332,160; upcat_2 deconv 64→32 (16,416) + TwoConv(64,32)=83,136;
        // upcat_1 deconv 32→32 (8,224) + TwoConv(64,32)=83,136; final_conv 32·2+2=66.  Total 5,749,410.
        using var net = new BasicUNet();
        long count = net.parameters().Sum(p => p.numel());
        Assert.Equal(5_749_410, count);
    }

    [Theory]
    [InlineData(1, 2, 32, 32, 32)]
    [InlineData(2, 3, 16, 32, 48)]
    [InlineData(1, 1, 17, 18, 19)]   // odd sizes: the decoder pads like MONAI and restores the input size
    public void Forward_Output_Has_Input_Spatial_Size_And_Out_Channels(long inChannels, long outChannels, long d, long h, long w)
    {
        using var net = new BasicUNet(inChannels: inChannels, outChannels: outChannels, features: [4, 4, 8, 8, 16, 4]);
        net.eval();
        using var _ = no_grad();
        using var x = randn(new[] { 2, inChannels, d, h, w });
        using var y = net.forward(x);
        Assert.Equal(new[] { 2, outChannels, d, h, w }, y.shape);
    }

    [Fact]
    public void Rejected_Arguments_Throw_Naming_The_Problem()
    {
        Assert.Contains("features needs 1 or 6", Assert.Throws<ArgumentException>(() => new BasicUNet(features: [8, 8, 8])).Message);
        Assert.Contains("spatial_dims=3", Assert.Throws<NotSupportedException>(() => new BasicUNet(spatialDims: 2)).Message);
        Assert.Contains("nontrainable", Assert.Throws<NotSupportedException>(() => new BasicUNet(upsample: "nontrainable")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicUNet(dropout: 1.5));
        Assert.Contains("Unknown norm", Assert.Throws<ArgumentException>(() => new BasicUNet(norm: "weird")).Message);
    }
}
