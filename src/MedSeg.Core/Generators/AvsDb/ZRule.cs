namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// How a shape's cross-section scale changes along z (the "z class" of AVS-DB).
/// Names follow the cross-section area, names in the reference code in brackets.
/// </summary>
public enum ZRule
{
    /// <summary>Increase then decrease: convex in z (reference "rhombus").</summary>
    ConcaveOutside,
    /// <summary>Decrease then increase: waist in the middle (reference "hourglass").</summary>
    ConcaveInside,
    /// <summary>Same cross-section on every slice (reference "prism"/"cylinder").</summary>
    Constant,
    /// <summary>Grows linearly along z (an upside-down pyramid/cone).</summary>
    LinearIncrease,
    /// <summary>Shrinks linearly along z towards an apex (reference "pyramid"/"cone").</summary>
    LinearDecrease,
}

public static class ZRuleNames
{
    /// <summary>Short kebab-case name used in label maps and manifests.</summary>
    public static string Slug(this ZRule rule) => rule switch
    {
        ZRule.ConcaveOutside => "concave-outside",
        ZRule.ConcaveInside => "concave-inside",
        ZRule.Constant => "constant",
        ZRule.LinearIncrease => "linear-increase",
        ZRule.LinearDecrease => "linear-decrease",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };
}
