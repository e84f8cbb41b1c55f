namespace MedSeg.Data.Entities;

/// <summary>Values of <see cref="TrainingRun.Method"/>. FDSL pretraining and downstream fine-tuning; SSL comes later.</summary>
public static class TrainingMethods
{
    public const string Fdsl = "FDSL";
    /// <summary>Downstream fine-tuning: config = FineTuneOptions JSON, dataset folder relative to the data root.</summary>
    public const string FineTune = "FineTune";
}
