namespace MedSeg.Training.Data;

/// <summary>
/// One training batch as plain CPU arrays (built on worker threads without touching TorchSharp):
/// images [B, C, Z, Y, X] float (C = <see cref="Channels"/>, 1 unless a method says otherwise) and, for
/// segmentation-style methods, labels [B, 1, Z, Y, X] int64, X fastest. A method's other arrays travel in
/// <see cref="Extras"/> by name (e.g. a reconstruction target, an order label, a mixing weight).
/// </summary>
public sealed record Batch(long Step, int Size, CropSize Crop, float[] Images, long[]? Labels)
{
    /// <summary>Image channels per item (the second axis of <see cref="Shape"/>).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The method's further arrays by name; converted to tensors by the loop (see <see cref="BatchArray"/>).</summary>
    public IReadOnlyDictionary<string, BatchArray> Extras { get; init; } = BatchArray.None;

    public long[] Shape => [Size, Channels, Crop.Z, Crop.Y, Crop.X];

    /// <summary>The shape of <see cref="Labels"/>: one channel.</summary>
    public long[] LabelShape => [Size, 1, Crop.Z, Crop.Y, Crop.X];
}
