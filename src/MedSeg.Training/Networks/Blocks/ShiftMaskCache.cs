using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks;

/// <summary>
/// The shifted-window attention masks of one <see cref="BasicLayer"/>, computed once per (padded shape, window, shift,
/// device) instead of on every forward (MONAI recomputes them; for SwinUNETR's first stage at a 64³ window that is a
/// 125 × 343 × 343 tensor per call). Masks made under inference mode are kept apart: they cannot join autograd later.
/// Holds at most <see cref="Capacity"/> masks (sliding windows and training crops use one or two shapes).
/// <see cref="Enabled"/> = false restores per-call computation (benchmarks' "before" figures).
/// </summary>
public sealed class ShiftMaskCache : IDisposable
{
    public const int Capacity = 4;

    /// <summary>Process-wide switch for before/after benchmarks.</summary>
    public static bool Enabled { get; set; } = true;

    private readonly Dictionary<string, Tensor> _masks = [];

    /// <summary>The mask; owned by the cache when enabled, by the caller's dispose scope otherwise.</summary>
    internal Tensor Get(long[] padded, long[] window, long[] shift, Device device)
    {
        if (!Enabled) return SwinWindows.ComputeMask(padded, window, shift, device);
        string key = $"{string.Join(",", padded)}|{string.Join(",", window)}|{string.Join(",", shift)}|{device}|{is_inference_mode_enabled()}";
        lock (_masks)
        {
            if (_masks.TryGetValue(key, out var cached)) return cached;
            if (_masks.Count >= Capacity) Clear();
            Tensor mask;
            using (no_grad()) mask = SwinWindows.ComputeMask(padded, window, shift, device).DetachFromDisposeScope();
            _masks[key] = mask;
            return mask;
        }
    }

    private void Clear()
    {
        foreach (var mask in _masks.Values) mask.Dispose();
        _masks.Clear();
    }

    public void Dispose()
    {
        lock (_masks) Clear();
    }
}
