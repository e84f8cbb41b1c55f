using System.Text.Json.Serialization;

namespace MedSeg.Training.Layout;

/// <summary>
/// How a volume's spatial axes map onto a network tensor's last three axes. Our volumes store X fastest, so the
/// plain buffer is (Z, Y, X); MONAI (nibabel) hands networks (X, Y, Z). A network computes the same for the same
/// tensor either way, but weights learned under one order see transposed kernels (and swapped anisotropic
/// axes) under the other — so the order is part of a trained model and is recorded with it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AxisOrder>))]
public enum AxisOrder
{
    /// <summary>Tensor [N, C, Z, Y, X] — the buffer order; what every run used before the order was recorded (<see cref="AxisOrders.Legacy"/>).</summary>
    Zyx = 0,

    /// <summary>Tensor [N, C, X, Y, Z] as MONAI builds it: tensor[0, 0, x, y, z] = volume(x, y, z). The default (<see cref="AxisOrders.Default"/>).</summary>
    MonaiXyz = 1,
}
