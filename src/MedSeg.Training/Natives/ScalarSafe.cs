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
    public static Tensor Times(this Tensor a, double factor) => Held(factor, a.mul);

    /// <summary><c>a / divisor</c>.</summary>
    public static Tensor DividedBy(this Tensor a, double divisor) => Held(divisor, s => a.div(s));

    /// <summary><c>a /= divisor</c>, in place; returns <paramref name="a"/>.</summary>
    public static Tensor DividedInPlaceBy(this Tensor a, double divisor) => Held(divisor, s => a.div_(s));

    /// <summary><c>a + value</c> (a number added to every element).</summary>
    public static Tensor PlusValue(this Tensor a, double value) => Held(value, s => a.add(s, One));

    /// <summary><c>value - a</c>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value) => Held(value, s => a.neg().add(s, One));

    /// <summary><c>a.clamp_min(min)</c>.</summary>
    public static Tensor AtLeast(this Tensor a, double min) => Held(min, a.clamp_min);

    /// <summary><c>a.clamp_max(max)</c>.</summary>
    public static Tensor AtMost(this Tensor a, long max) => Held(max, a.clamp_max);

    /// <summary><c>a.pow(exponent)</c>.</summary>
    public static Tensor Power(this Tensor a, double exponent) => Held(exponent, a.pow);

    /// <summary><c>a.eq(value)</c>: a boolean mask.</summary>
    public static Tensor EqualTo(this Tensor a, long value) => Held(value, a.eq);

    /// <summary><c>arange(start, stop, step)</c>.</summary>
    public static Tensor Range(double start, double stop, double step, ScalarType type, Device? device)
    {
        using Scalar from = start.ToScalar(), to = stop.ToScalar(), by = step.ToScalar();
        return arange(from, to, by, type, device);
    }

    /// <summary><c>wa * a + wb * b</c>: a weighted sum of two loss terms.</summary>
    public static Tensor WeightedSum(double wa, Tensor a, double wb, Tensor b) => a.Times(wa).Plus(b.Times(wb));

    /// <summary>Runs <paramref name="op"/> with <paramref name="value"/> as a Scalar that lives until it returns.</summary>
    private static Tensor Held(double value, Func<Scalar, Tensor> op)
    {
        using var s = value.ToScalar();
        return op(s);
    }

    /// <summary>As above with an integer Scalar: on integer tensors a double Scalar would promote the result to float.</summary>
    private static Tensor Held(long value, Func<Scalar, Tensor> op)
    {
        using var s = value.ToScalar();
        return op(s);
    }
}
