using MedSeg.Training.Natives;
using MedSeg.Training.Networks;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Nets;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// Swin UNETR self-supervision's loss on a batch of both views ([2B, …], view 1 then view 2): CE(rotation) +
/// NT-Xent(contrastive view 1, view 2; T 0.5) + L1(reconstruction, rotated un-cut image), each weighted (1, 1, 1).
/// Only the backbone's Swin encoder runs (features normalised, as the research code's <c>swinViT(x)[4]</c>).
/// </summary>
public sealed class SwinSslObjective(SwinSslHeads heads, double temperature = NtXentLoss.DefaultTemperature,
    double rotWeight = 1, double contrastWeight = 1, double recWeight = 1) : IMethodObjective
{
    public const string TargetName = "target", RotationName = "rotation";

    public nn.Module? Heads => heads;

    public static SwinSslHeads HeadsFor(nn.Module backbone) => backbone is SwinUnetr s
        ? new SwinSslHeads(s.FeatureSize * 16, s.InChannels)
        : throw new ArgumentException($"Swin UNETR self-supervision needs a SwinUNETR backbone, got {backbone.GetName()}.");

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        if (backbone is not SwinUnetr swin)
            throw new ArgumentException($"Swin UNETR self-supervision needs a SwinUNETR backbone, got {backbone.GetName()}.");
        var x = batch.Images;
        if (x.shape[0] % 2 != 0) throw new ArgumentException($"the batch must hold both views (2B samples), got {x.shape[0]}.");
        swin.CheckInput(x);
        var last = swin.Encoder.Encode(x, normalize: true)[^1];
        var (rotation, contrastive, reconstruction) = heads.forward(last);
        long b = x.shape[0] / 2;
        var rot = nn.functional.cross_entropy(rotation, batch.Extra(RotationName).reshape(-1));
        var contrast = NtXentLoss.Compute(contrastive.narrow(0, 0, b), contrastive.narrow(0, b, b), temperature);
        var rec = nn.functional.l1_loss(reconstruction, batch.Extra(TargetName));
        var total = ScalarSafe.WeightedSum(rotWeight, rot, contrastWeight, contrast).Plus(rec.Times(recWeight));
        return new LossTerms(total, new Dictionary<string, Tensor> { ["loss_rot"] = rot, ["loss_contrast"] = contrast, ["loss_rec"] = rec });
    }

    public void Dispose() => heads.Dispose();
}
