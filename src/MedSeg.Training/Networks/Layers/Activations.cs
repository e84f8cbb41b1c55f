using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Layers;

/// <summary>Activation layers by MONAI name (<c>monai.networks.layers.factories.Act</c>), case-insensitive.</summary>
public static class Activations
{
    public static nn.Module<Tensor, Tensor> Create(LayerSpec spec)
    {
        switch (spec.Name.ToLowerInvariant())
        {
            case "leakyrelu":
                spec.EnsureOnly("negative_slope", "inplace");
                return new LeakyRelu(spec.GetDouble("negative_slope", 0.01), spec.GetBool("inplace", false));
            case "relu":
                spec.EnsureOnly("inplace");
                return nn.ReLU(spec.GetBool("inplace", false));
            case "prelu":
                spec.EnsureOnly("num_parameters", "init");
                return nn.PReLU(spec.GetLong("num_parameters", 1), spec.GetDouble("init", 0.25));
            case "gelu":
                spec.EnsureOnly();
                return nn.GELU();
            case "elu":
                spec.EnsureOnly("alpha", "inplace");
                return nn.ELU(spec.GetDouble("alpha", 1.0), spec.GetBool("inplace", false));
            case "tanh":
                spec.EnsureOnly();
                return nn.Tanh();
            case "sigmoid":
                spec.EnsureOnly();
                return nn.Sigmoid();
            default:
                throw new ArgumentException($"Unknown activation '{spec.Name}'; supported: leakyrelu, relu, prelu, gelu, elu, tanh, sigmoid.");
        }
    }
}
