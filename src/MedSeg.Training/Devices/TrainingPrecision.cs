namespace MedSeg.Training.Devices;

/// <summary>
/// How a run computes: <see cref="Fp32"/> (default) or <see cref="Bf16"/> mixed precision — forward and backward in
/// bfloat16 on a working copy of the network, fp32 master weights and optimizer state (<see cref="Bf16Backbone"/>).
/// TorchSharp 0.107 has bfloat16 tensors but no autocast, so the whole backbone runs in bf16 and only the loss is fp32.
/// </summary>
public static class TrainingPrecision
{
    public const string Fp32 = "fp32";
    public const string Bf16 = "bf16";

    public static bool IsValid(string? value) => value is Fp32 or Bf16;
}
