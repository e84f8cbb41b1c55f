namespace MedSeg.Data.Entities;

/// <summary>Values of <see cref="TrainingRun.Method"/>. FDSL pretraining and downstream fine-tuning; SSL comes later.</summary>
public static class TrainingMethods
{
    public const string Fdsl = "FDSL";
    /// <summary>Downstream fine-tuning: config = FineTuneOptions JSON, dataset folder relative to the data root.</summary>
    public const string FineTune = "FineTune";
    /// <summary>
    /// Trained elsewhere (e.g. a MONAI script) and reported through the ingestion API with a personal token: config is
    /// whatever the script sent; steps, evaluation and checkpoint arrive over HTTP. No worker executes it.
    /// </summary>
    public const string External = "External";
}
