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
            // medseg bench memory (see README): replaced by the fitted values below.
            ["SwinUNETR"] = new(PerWidth: 60, Fixed: 200),
            ["UNETR"] = new(PerWidth: 80, Fixed: 400),
            ["BasicUNet"] = new(PerWidth: 40, Fixed: 100),
        };

    /// <summary>
    /// What any run adds whatever its size (libtorch's kernels and workspaces, the allocator's slack, the first
    /// backward's bookkeeping): measured by <c>medseg bench memory</c> on the tiniest configuration.
    /// </summary>
    public const double RunOverheadBytes = 400L << 20;

    /// <summary>
    /// Bytes per voxel and output class for logits, softmax, one-hot target and their gradients (6 float32 tensors):
    /// counted, not fitted, so the fit sees the network alone.
    /// </summary>
    public const double ClassBytesPerVoxel = 6 * sizeof(float);

    /// <summary>Bytes per parameter held while training with AdamW: weights, gradients, two moments (float32).</summary>
    public const double BytesPerParameter = 4 * sizeof(float);

    /// <summary>Bytes per prefetched input voxel: float32 image + int64 label.</summary>
    public const double BatchBytesPerVoxel = sizeof(float) + sizeof(long);
}
