using MedSeg.Training.Networks.Layers;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets.Context;

/// <summary>
/// The 2.5D context descriptor of a point: one D2D-CNN per axis (<c>axis0</c> sees planes across z, <c>axis1</c> across
/// y, <c>axis2</c> across x; the notebook's CNet0..2), their 64-d outputs concatenated to 192-d. Input [B, 9, 42, 42]:
/// the three 3×42×42 patches of a point, axis 0 first; output [B, 192, 1, 1]. This is what a HEATMAP / REG2D run
/// exports as its model.
/// </summary>
public sealed class ContextDescriptorNet : CompositeModule
{
    public const int Axes = 3;
    public const int DescriptorLength = Axes * ContextConvNet.DescriptorLength;

    private readonly ContextConvNet axis0, axis1, axis2;

    public ContextDescriptorNet() : base(nameof(ContextDescriptorNet))
    {
        axis0 = new ContextConvNet();
        axis1 = new ContextConvNet();
        axis2 = new ContextConvNet();
        RegisterComponents();
    }

    /// <summary>The D2D-CNN of axis 0, 1 or 2.</summary>
    public ContextConvNet Axis(int axis) => axis switch
    {
        0 => axis0,
        1 => axis1,
        2 => axis2,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), $"Axis must be 0, 1 or 2, got {axis}."),
    };

    public override Tensor forward(Tensor patches)
    {
        if (patches.dim() != 4 || patches.shape[1] != Axes * ContextConvNet.Planes)
            throw new ArgumentException($"Expected [B, 9, 42, 42] (three 3-plane patches), got [{string.Join(", ", patches.shape)}].");
        using var scope = NewDisposeScope();
        var parts = patches.chunk(Axes, 1);
        return cat([axis0.call(parts[0]), axis1.call(parts[1]), axis2.call(parts[2])], 1).MoveToOuterDisposeScope();
    }
}
