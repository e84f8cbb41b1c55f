namespace MedSeg.Training.Estimates;

/// <summary>
/// Activation bytes per input voxel of one training step (forward kept for backward, gradients, Dice loss), per network
/// family: <c>PerWidth</c> × the family's width (<see cref="NetworkWidth"/>) + <c>Fixed</c>. Fitted to the peak resident
/// memory of real training steps by <c>medseg bench memory</c>, which prints this table; paste its output here after
/// changing a network (measured: see the README section "Run memory estimate").
/// </summary>
public static class MemoryCalibration
{
    public sealed record Coefficients(double PerWidth, double Fixed);

    /// <summary>By family name (case-insensitive). A family missing here gets no estimate (and no refusal).</summary>
    public static readonly IReadOnlyDictionary<string, Coefficients> ByFamily =
        new Dictionary<string, Coefficients>(StringComparer.OrdinalIgnoreCase)
        {
            // `medseg bench memory` (CPU, 17 classes, 2 torch threads, 2026-12-02): fitted over 7 configurations, 32³–64³.
            ["SwinUNETR"] = new(PerWidth: 273.5, Fixed: 2128.5),
            ["UNETR"] = new(PerWidth: 21.9, Fixed: 0), // its ViT (hidden 768) dominates; the width is the decoder's
            ["BasicUNet"] = new(PerWidth: 72.1, Fixed: 0),
            // PCT-Net (mode 1): `medseg bench memory --configs pctnet-8-32-b2 pctnet-16-64-b1 pctnet-24-32-b1` (433, 1571, 1167 MB)
            // and `medseg bench volf` (released channels, 64×128×128, batch 1, deep supervision: 11.7 GB peak), fitted by hand:
            // the three bench points alone put nothing on the width, which underestimates the released network by 40 %.
            ["PCTNet"] = new(PerWidth: 174.9, Fixed: 2919.0),
        };

    /// <summary>What any run adds whatever its size (libtorch's kernels and workspaces, the first backward's bookkeeping): the tiniest configuration.</summary>
    public const double RunOverheadBytes = 39L << 20;

    /// <summary>
    /// Bytes per parameter while training with AdamW: weights, gradients and two moments (16) plus the temporaries of
    /// clipping and the optimiser step; fitted with the families (25.4).
    /// </summary>
    public const double BytesPerParameter = 25.4;

    /// <summary>
    /// Bytes per voxel and output class for logits, softmax, one-hot target and their gradients (6 float32 tensors):
    /// counted, not fitted, so the fit sees the network alone.
    /// </summary>
    public const double ClassBytesPerVoxel = 6 * sizeof(float);

    /// <summary>Bytes per prefetched input voxel: float32 image + int64 label.</summary>
    public const double BatchBytesPerVoxel = sizeof(float) + sizeof(long);
}
