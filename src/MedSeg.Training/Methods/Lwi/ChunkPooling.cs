using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// Mean-pools a feature map per shuffled chunk: the order heads see one vector per slot. Tokens are grouped by their
/// position along one spatial axis (the depth axis by default; the authors' code groups along the first tensor axis).
/// </summary>
public static class ChunkPooling
{
    /// <summary>[B, C, A0, A1, A2] → [B, chunks, C]: slot k is the mean of the positions whose coordinate on
    /// <paramref name="axis"/> lies in its k-th equal part.</summary>
    public static Tensor PerChunk(Tensor map, int axis, int chunks)
    {
        if (map.dim() != 5) throw new ArgumentException($"chunk pooling expects a [B, C, A0, A1, A2] map, got [{string.Join(", ", map.shape)}].");
        if (axis is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(axis), $"spatial axis must be 0, 1 or 2, got {axis}.");
        long length = map.shape[2 + axis];
        if (length % chunks != 0)
            throw new ArgumentException($"a feature map with {length} positions on axis {axis} cannot be cut into {chunks} chunks; choose chunks dividing it.");
        using var scope = NewDisposeScope();
        var moved = map.movedim([2L + axis], [2L]);
        var grouped = moved.reshape(map.shape[0], map.shape[1], chunks, -1L);
        return grouped.mean([3]).transpose(1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>ViT tokens [B, T, H] on a token grid (axis 0 slowest) → [B, H, g0, g1, g2], as UNETR's proj_feat.</summary>
    public static Tensor TokensToMap(Tensor tokens, IReadOnlyList<long> grid) =>
        tokens.view(tokens.shape[0], grid[0], grid[1], grid[2], tokens.shape[2]).permute(0, 4, 1, 2, 3);
}
