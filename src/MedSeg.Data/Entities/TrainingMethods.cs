namespace MedSeg.Data.Entities;

/// <summary>Values of <see cref="TrainingRun.Method"/>. Only FDSL pretraining exists so far; fine-tuning and SSL come later.</summary>
public static class TrainingMethods
{
    public const string Fdsl = "FDSL";
}
