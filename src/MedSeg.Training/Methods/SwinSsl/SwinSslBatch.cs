using MedSeg.Training.Data;
using MedSeg.Training.Methods.Lwi;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// One Swin SSL batch as CPU arrays: <see cref="Inputs"/> and <see cref="Targets"/> [2B, 1, Z, Y, X] (view 1 then view 2:
/// rotated + cut out, rotated only), <see cref="Rotations"/> [2B] quarter turns.
/// </summary>
public sealed record SwinSslBatch(long Step, int Crops, CropSize Crop, float[] Inputs, float[] Targets, long[] Rotations)
{
    public long[] Shape => [2L * Crops, 1, Crop.Z, Crop.Y, Crop.X];

    /// <summary>As the shared loop's batch: images = both views' inputs (2B), extras "target" (spatial) and "rotation" [2B].</summary>
    public Batch ToBatch() => new(Step, 2 * Crops, Crop, Inputs, null)
    {
        Extras = new Dictionary<string, BatchArray>
        {
            [SwinSslObjective.TargetName] = BatchArray.Volume(Targets, Shape),
            [SwinSslObjective.RotationName] = BatchArray.Plain(Rotations, 2L * Crops),
        },
    };
}

/// <summary>Windowed random crops → two views each (<see cref="SwinSslViews"/>); deterministic in (seed, step).</summary>
public sealed class SwinSslBatchBuilder(UnlabelledCrops crops, long seed)
{
    public UnlabelledCrops Crops => crops;

    public SwinSslBatch Build(long step)
    {
        var c = crops.Crop;
        if (c.Y != c.Z) throw new ArgumentException($"Swin SSL rotates in the Y–Z plane: the crop needs Y = Z, got {c}.");
        var (inputs, targets, rotations) = SwinSslViews.Build(crops.Build(step), crops.BatchSize, c, seed, step);
        return new SwinSslBatch(step, crops.BatchSize, c, inputs, targets, rotations);
    }
}

/// <summary>Swin SSL batches for the shared loop.</summary>
public sealed class SwinSslBatches(SwinSslBatchBuilder builder) : Loop.ITrainingBatches
{
    public string Description => $"{builder.Crops.Description}, two rotated + cut-out views per crop";
    public Batch Build(long step) => builder.Build(step).ToBatch();
    public double Epoch(long step) => builder.Crops.Order.Epoch(step);
}
