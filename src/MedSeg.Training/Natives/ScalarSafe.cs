using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Natives;

/// <summary>
/// Tensor arithmetic whose <see cref="Scalar"/> operands stay alive across the native call.
/// TorchSharp 0.107 turns numbers into temporary Scalars (<c>a + b</c> is <c>add(b, alpha: 1)</c>, <c>a * 0.5</c> is
/// <c>mul(0.5)</c>) and passes their handles without <c>GC.KeepAlive</c>: a garbage collection started by another
/// thread during the call can finalise the Scalar before libtorch reads it ("Expected false to be true … toFloat",
/// seen under load in parallel tests, once per few thousand steps). Same aten ops as the operators, so the same numbers.
/// </summary>
public static class ScalarSafe
{
    /// <summary>1 as a Scalar, for the <c>alpha</c> of add/add_: the overloads without it make a temporary one.</summary>
    public static readonly Scalar One = 1.ToScalar(); // static roots are never finalised
    private static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary><c>a + b</c> for two tensors.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a - b</c> for two tensors.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary><c>a * factor</c>.</summary>
    public static Tensor Times(this Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul(s);
    }

    /// <summary><c>a / divisor</c>.</summary>
    public static Tensor DividedBy(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div(s);
    }

    /// <summary><c>a /= divisor</c>, in place; returns <paramref name="a"/>.</summary>
    public static Tensor DividedInPlaceBy(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div_(s);
    }

    /// <summary><c>a + value</c> (a number added to every element).</summary>
    public static Tensor PlusValue(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    /// <summary><c>value - a</c>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.neg().add(s, One);
    }

    /// <summary><c>wa * a + wb * b</c>: a weighted sum of two loss terms.</summary>
    public static Tensor WeightedSum(double wa, Tensor a, double wb, Tensor b) => a.Times(wa).Plus(b.Times(wb));
}
