using System.Globalization;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>Collects option problems, each naming the field as the user sees it, the value and the allowed range.</summary>
public sealed class ProblemList
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Items => _problems;

    public void Add(string message) => _problems.Add(message);

    public void Range(string field, long value, long min, long max)
    {
        if (value < min || value > max) _problems.Add(Invariant($"{field} must be between {min} and {max}, got {value}."));
    }

    public void Range(string field, double value, double min, double max, bool minExclusive = false)
    {
        bool low = minExclusive ? !(value > min) : !(value >= min);
        if (low || !(value <= max))
            _problems.Add(Invariant($"{field} must be {(minExclusive ? ">" : "≥")} {min} and ≤ {max}, got {value}."));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
