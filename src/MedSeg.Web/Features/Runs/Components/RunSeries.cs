
namespace MedSeg.Web.Features.Runs.Components;

/// <summary>
/// A run's curves as the run page draws them, fed first with the stored history and then with live steps.
/// Steps arrive in order; a repeat of a step already held (history and live overlapping) is ignored, while a
/// step at or before the last one but recorded LATER in time (a resume rewound to its checkpoint) drops the
/// held steps from there on, as the stored rows were replaced.
/// </summary>
public sealed class RunSeries
{
    private readonly List<DateTime> at = [];

    public List<double> Steps { get; } = [];
    /// <summary>Seconds since the first step held.</summary>
    public List<double> Seconds { get; } = [];
    public List<double> Loss { get; } = [];
    public List<double> LearningRate { get; } = [];
    public List<double> ValidationSteps { get; } = [];
    public List<double> ValidationSeconds { get; } = [];
    public List<double> ValidationDice { get; } = [];

    /// <summary>
    /// The named loss terms ("loss_rec", "loss_order", …) in the order they first appeared, each with its own x lists
    /// (a term may be absent on some steps).
    /// </summary>
    public IReadOnlyDictionary<string, TermSeries> Terms => terms;
    private readonly Dictionary<string, TermSeries> terms = [];

    /// <summary>Per-class Dice of the newest validation (background first; null = class absent).</summary>
    public IReadOnlyList<double?>? LastClassDice { get; private set; }
    public RunStepPoint? Last { get; private set; }
    public long LastStep => Steps.Count == 0 ? 0 : (long)Steps[^1];
    /// <summary>When the first step held was recorded: the origin of <see cref="Seconds"/>.</summary>
    public DateTime? FirstAt => at.Count == 0 ? null : at[0];
    public int Count => Steps.Count;

    public void AddRange(IEnumerable<RunStepPoint> metrics)
    {
        foreach (var m in metrics) Add(m);
    }

    /// <summary>Adds one step; false when it was a repeat and ignored.</summary>
    public bool Add(RunStepPoint m)
    {
        if (Steps.Count > 0 && m.Step <= LastStep)
        {
            if (m.At <= at[^1]) return false;
            Truncate(m.Step);
        }
        var origin = at.Count == 0 ? m.At : at[0];
        var seconds = (m.At - origin).TotalSeconds;
        at.Add(m.At);
        Steps.Add(m.Step);
        Seconds.Add(seconds);
        Loss.Add(m.Loss);
        LearningRate.Add(m.Lr);
        foreach (var (name, value) in m.Terms ?? new Dictionary<string, double>())
        {
            if (!terms.TryGetValue(name, out var term)) terms[name] = term = new TermSeries();
            term.Steps.Add(m.Step);
            term.Seconds.Add(seconds);
            term.Values.Add(value);
        }
        if (m.ValDice is { } dice)
        {
            ValidationSteps.Add(m.Step);
            ValidationSeconds.Add(seconds);
            ValidationDice.Add(dice);
            if (m.ValDicePerClass is { Count: > 0 } perClass) LastClassDice = perClass;
        }
        Last = m;
        return true;
    }

    private void Truncate(long fromStep)
    {
        var keep = Steps.FindIndex(s => s >= fromStep);
        if (keep < 0) return;
        foreach (var list in new[] { Steps, Seconds, Loss, LearningRate }) list.RemoveRange(keep, list.Count - keep);
        at.RemoveRange(keep, at.Count - keep);
        var keepVal = ValidationSteps.FindIndex(s => s >= fromStep);
        if (keepVal >= 0)
            foreach (var list in new[] { ValidationSteps, ValidationSeconds, ValidationDice }) list.RemoveRange(keepVal, list.Count - keepVal);
        foreach (var term in terms.Values)
        {
            var keepTerm = term.Steps.FindIndex(s => s >= fromStep);
            if (keepTerm >= 0)
                foreach (var list in new[] { term.Steps, term.Seconds, term.Values }) list.RemoveRange(keepTerm, list.Count - keepTerm);
        }
    }
}

/// <summary>One named loss term of a run: its steps, seconds since the first step, and values.</summary>
public sealed class TermSeries
{
    public List<double> Steps { get; } = [];
    public List<double> Seconds { get; } = [];
    public List<double> Values { get; } = [];
}
