using MedSeg.Training.Networks.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// The heads of MONAI research <c>SSLHead</c> (upsample "vae"), with its parameter names so its checkpoints' head and
/// encoder keys line up: <c>rotation_head</c> Linear(dim, 4) on token 0, <c>contrastive_head</c> Linear(dim, 512) on
/// token 1, and <c>conv</c> = 5 × [Conv3d k3 → InstanceNorm3d → LeakyReLU → ×2 trilinear] (dim → dim/2 → dim/4 →
/// dim/8 → dim/16 → dim/16) then a 1×1×1 Conv3d to the input channels (<c>conv.0 … conv.20</c>). dim = 16 · feature size
/// (768 for 48).
/// </summary>
public sealed class SwinSslHeads : CompositeModule<Tensor, (Tensor Rotation, Tensor Contrastive, Tensor Reconstruction)>
{
    public const int RotationClasses = 4, ContrastiveDim = 512;

    private readonly Linear rotation_head;
    private readonly Linear contrastive_head;
    private readonly Sequential conv;

    public SwinSslHeads(long dim, long inChannels) : base("SSLHead")
    {
        if (dim % 16 != 0) throw new ArgumentException($"SSL head width {dim} must be divisible by 16.");
        rotation_head = nn.Linear(dim, RotationClasses);
        contrastive_head = nn.Linear(dim, ContrastiveDim);
        long[] widths = [dim, dim / 2, dim / 4, dim / 8, dim / 16, dim / 16];
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < 5; i++)
        {
            layers.Add(($"{layers.Count}", nn.Conv3d(widths[i], widths[i + 1], 3, stride: 1, padding: 1)));
            layers.Add(($"{layers.Count}", nn.InstanceNorm3d(widths[i + 1])));
            layers.Add(($"{layers.Count}", new MedSeg.Training.Networks.Layers.LeakyRelu()));
            layers.Add(($"{layers.Count}", nn.Upsample(scale_factor: [2.0, 2.0, 2.0], mode: UpsampleMode.Trilinear, align_corners: false)));
        }
        layers.Add(($"{layers.Count}", nn.Conv3d(widths[5], inChannels, 1, stride: 1)));
        conv = nn.Sequential(layers);
        Dim = dim;
        RegisterComponents();
    }

    public long Dim { get; }

    /// <summary>Last encoder stage [N, dim, h, w, d] → rotation logits [N, 4], contrastive [N, 512], reconstruction.</summary>
    public override (Tensor Rotation, Tensor Contrastive, Tensor Reconstruction) forward(Tensor last)
    {
        if (last.dim() != 5 || last.shape[1] != Dim)
            throw new ArgumentException($"SSL heads expect [N, {Dim}, h, w, d], got [{string.Join(", ", last.shape)}].");
        if (last.shape[2] * last.shape[3] * last.shape[4] < 2)
            throw new ArgumentException($"SSL heads need at least 2 tokens (rotation on token 0, contrastive on token 1); the last stage is {last.shape[2]}×{last.shape[3]}×{last.shape[4]}: use a crop of at least 64.");
        using var scope = NewDisposeScope();
        var tokens = last.flatten(2).transpose(1, 2);
        var rotation = rotation_head.forward(tokens.select(1, 0));
        var contrastive = contrastive_head.forward(tokens.select(1, 1));
        var reconstruction = conv.forward(last);
        return (rotation.MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(), reconstruction.MoveToOuterDisposeScope());
    }
}
