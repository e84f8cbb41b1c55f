using MedSeg.Training.Data;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods.Lwi;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.SwinSsl;

/// <summary>
/// One Swin SSL batch as CPU arrays: <see cref="Inputs"/> and <see cref="Targets"/> [2B, 1, Z, Y, X] (view 1 then view 2:
/// rotated + cut out, rotated only), <see cref="Rotations"/> [2B] quarter turns.
/// </summary>
public sealed record SwinSslBatch(long Step, int Crops, CropSize Crop, float[] Inputs, float[] Targets, long[] Rotations)
{
    public long[] Shape => [2L * Crops, 1, Crop.Z, Crop.Y, Crop.X];

    /// <summary>The batch on <paramref name="device"/> in the run's axis order, as the objective reads it.</summary>
    public BatchTensors ToTensors(AxisOrder order, Device device) => new(
        TensorLayout.FromBuffer(Inputs, Shape, order).to(device), null,
        new Dictionary<string, Tensor>
        {
            [SwinSslObjective.TargetName] = TensorLayout.FromBuffer(Targets, Shape, order).to(device),
            [SwinSslObjective.RotationName] = tensor(Rotations).to(device),
        });
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
