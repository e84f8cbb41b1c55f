namespace MedSeg.Training.Data;

/// <summary>
/// One training batch as plain CPU arrays (built on worker threads without touching TorchSharp):
/// images [B, 1, Z, Y, X] float and labels [B, 1, Z, Y, X] int64, X fastest.
/// </summary>
public sealed record Batch(long Step, int Size, CropSize Crop, float[] Images, long[] Labels)
{
    public long[] Shape => [Size, 1, Crop.Z, Crop.Y, Crop.X];
}
