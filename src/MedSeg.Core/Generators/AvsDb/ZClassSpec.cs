using static System.FormattableString;
namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// One z class: a <see cref="ZRule"/> plus the ranges its per-instance parameters are drawn from.
/// The cross-section radius at slice z is (radius at the base) × γ(z), where γ runs piecewise-linearly
/// Start → Extremum (at the extremum slice) → End for the concave rules, Start → End for the linear ones,
/// and stays at Start for <see cref="ZRule.Constant"/>.
/// </summary>
public sealed record ZClassSpec
{
    public ZRule Rule { get; init; }

    /// <summary>γ at the first slice (and on every slice for Constant).</summary>
    public DoubleRange Start { get; init; } = DoubleRange.Fixed(1);

    /// <summary>γ at the extremum slice (concave rules only).</summary>
    public DoubleRange Extremum { get; init; } = DoubleRange.Fixed(1);

    /// <summary>γ reached at z = depth (linear and concave rules).</summary>
    public DoubleRange End { get; init; } = DoubleRange.Fixed(1);

    /// <summary>Extremum slice as a fraction of the depth (concave rules only).</summary>
    public DoubleRange ExtremumPosition { get; init; } = new(0, 1);

    /// <summary>Minimum distance of the extremum slice from either end, in slices (reference: 3).</summary>
    public int ExtremumMargin { get; init; } = 3;

    /// <summary>Reference "prism"/"cylinder": γ = 1 throughout.</summary>
    public static ZClassSpec Prism() => new() { Rule = ZRule.Constant };

    /// <summary>Reference "hourglass": γ0 ~ U(0.8, 1) → γ1 ~ U(0.3, 0.5) at randint(3, D−3) → γ2 ~ U(0.8, 1).</summary>
    public static ZClassSpec Hourglass() => new()
    {
        Rule = ZRule.ConcaveInside, Start = new(0.8, 1), Extremum = new(0.3, 0.5), End = new(0.8, 1),
    };

    /// <summary>Reference "rhombus": γ0 ~ U(0.3, 0.5) → γ1 ~ U(0.8, 1) at randint(3, D−3) → γ2 ~ U(0.3, 0.5).</summary>
    public static ZClassSpec Rhombus() => new()
    {
        Rule = ZRule.ConcaveOutside, Start = new(0.3, 0.5), Extremum = new(0.8, 1), End = new(0.3, 0.5),
    };

    /// <summary>Reference "pyramid"/"cone": vertices move linearly to the centre, γ = 1 − z/D.</summary>
    public static ZClassSpec Pyramid() => new()
    {
        Rule = ZRule.LinearDecrease, Start = DoubleRange.Fixed(1), End = DoubleRange.Fixed(0),
    };

    /// <summary>Upside-down pyramid: γ = z/D (not in the reference's default set).</summary>
    public static ZClassSpec InvertedPyramid() => new()
    {
        Rule = ZRule.LinearIncrease, Start = DoubleRange.Fixed(0), End = DoubleRange.Fixed(1),
    };

    /// <summary>Largest γ any instance of this class can reach (sizes the rasteriser's scratch grid).</summary>
    public double MaxGamma => Rule switch
    {
        ZRule.Constant => Start.Max,
        ZRule.LinearIncrease or ZRule.LinearDecrease => Math.Max(Start.Max, End.Max),
        _ => Math.Max(Start.Max, Math.Max(Extremum.Max, End.Max)),
    };

    internal void Validate(string field, List<string> errors)
    {
        if (Start is null || End is null || Extremum is null || ExtremumPosition is null)
        {
            errors.Add(Invariant($"{field}: Start, Extremum, End and ExtremumPosition must not be null"));
            return;
        }
        if (!Enum.IsDefined(Rule)) errors.Add(Invariant($"{field}.Rule is not a known z rule, got {(int)Rule}"));
        CheckRange(Start, $"{field}.Start", errors);
        if (Rule is not ZRule.Constant) CheckRange(End, $"{field}.End", errors);
        if (Rule is ZRule.ConcaveInside or ZRule.ConcaveOutside)
        {
            CheckRange(Extremum, $"{field}.Extremum", errors);
            if (ExtremumPosition.Min < 0 || ExtremumPosition.Max > 1 || ExtremumPosition.Min > ExtremumPosition.Max)
                errors.Add(Invariant($"{field}.ExtremumPosition must satisfy 0 <= Min <= Max <= 1, got {ExtremumPosition}"));
            if (ExtremumMargin < 1)
                errors.Add(Invariant($"{field}.ExtremumMargin must be >= 1 so the extremum lies strictly inside the shape, got {ExtremumMargin}"));
        }
        switch (Rule)
        {
            case ZRule.ConcaveInside when !(Extremum.Max < Start.Min && Extremum.Max < End.Min):
                errors.Add(Invariant($"{field}: ConcaveInside needs Extremum.Max < Start.Min and < End.Min (decrease then increase), got Start {Start}, Extremum {Extremum}, End {End}"));
                break;
            case ZRule.ConcaveOutside when !(Extremum.Min > Start.Max && Extremum.Min > End.Max):
                errors.Add(Invariant($"{field}: ConcaveOutside needs Extremum.Min > Start.Max and > End.Max (increase then decrease), got Start {Start}, Extremum {Extremum}, End {End}"));
                break;
            case ZRule.LinearIncrease when !(End.Min > Start.Max):
                errors.Add(Invariant($"{field}: LinearIncrease needs End.Min > Start.Max, got Start {Start}, End {End}"));
                break;
            case ZRule.LinearDecrease when !(Start.Min > End.Max):
                errors.Add(Invariant($"{field}: LinearDecrease needs Start.Min > End.Max, got Start {Start}, End {End}"));
                break;
            case ZRule.Constant when Start.Min <= 0:
                errors.Add(Invariant($"{field}: Constant needs Start.Min > 0 (an empty shape otherwise), got Start {Start}"));
                break;
        }
    }

    private static void CheckRange(DoubleRange? r, string field, List<string> errors)
    {
        if (r is null) { errors.Add(Invariant($"{field} is missing")); return; }
        if (!double.IsFinite(r.Min) || !double.IsFinite(r.Max) || r.Min < 0 || r.Min > r.Max || r.Max > 4)
            errors.Add(Invariant($"{field} must satisfy 0 <= Min <= Max <= 4, got {r}"));
    }
}
