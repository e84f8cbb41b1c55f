using MedSeg.Training.Networks.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Networks;

/// <summary>Every parameter that takes part in forward receives a gradient (the networks are trainable as built).</summary>
public class GradientFlowTests
{
    private static List<string> ParametersWithoutGradient(nn.Module<Tensor, Tensor> net, long[] inputShape)
    {
        net.train();
        using var scope = NewDisposeScope();
        var loss = net.forward(randn(inputShape)).square().mean();
        loss.backward();
        return net.named_parameters()
            .Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0f)
            .Select(p => p.name).ToList();
    }

    [Fact]
    public void BasicUNet_All_Parameters_Receive_Gradients()
    {
        // 32³ so the bottleneck is 2³: instance norm over a single voxel outputs zeros and passes no gradient.
        using var net = new BasicUNet(features: [4, 4, 8, 8, 8, 4]);
        var missing = ParametersWithoutGradient(net, [1, 1, 32, 32, 32]);
        Assert.True(missing.Count == 0, string.Join(" ", missing));
    }

    [Fact]
    public void Unetr_All_Parameters_But_Unused_Cross_Attention_Receive_Gradients()
    {
        using var net = new Unetr(1, 2, [16], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 3);
        var missing = ParametersWithoutGradient(net, [2, 1, 16, 16, 16]);
        // MONAI's TransformerBlock creates cross-attention layers it never calls without with_cross_attention.
        Assert.All(missing, name => Assert.Contains("cross_attn", name));
        // Per block: norm_cross_attn weight/bias, cross_attn out_proj weight/bias, to_q/to_k/to_v weights.
        Assert.Equal(12 * 7, missing.Count);
    }
}
