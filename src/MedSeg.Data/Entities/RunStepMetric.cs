namespace MedSeg.Data.Entities;

/// <summary>
/// Metrics of one completed optimiser step, keyed by (run, step): a resumed run replaces rows after its
/// checkpoint, so there is never more than one row per step. Kept compact (floats where precision does not matter).
/// </summary>
public class RunStepMetric
{
    public int RunId { get; set; }

    /// <summary>Completed steps after this one (1-based).</summary>
    public long Step { get; set; }

    public DateTime At { get; set; }
    public double Loss { get; set; }
    public double Lr { get; set; }
    public float SamplesPerSecond { get; set; }
    /// <summary>Share of wall time the trainer waited for data (0..1).</summary>
    public float DataWaitFraction { get; set; }
    public long MemoryBytes { get; set; }

    /// <summary>Mean foreground validation Dice, on steps that were validated.</summary>
    public double? ValDice { get; set; }

    /// <summary>Per-class validation Dice as a JSON array (background first, null for absent classes), on validated steps.</summary>
    public string? ValDiceJson { get; set; }

    /// <summary>The named terms of a multi-term loss as a JSON object (e.g. {"loss_rec":0.41,"loss_order":1.2}); null for one-term losses.</summary>
    public string? TermsJson { get; set; }
}
