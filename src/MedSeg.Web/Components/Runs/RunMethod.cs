namespace MedSeg.Web.Components.Runs;

/// <summary>
/// How a run learns. Only FDSL exists today; self-supervised methods get their own values here and their own
/// section in <see cref="RunConfigForm"/>, sharing the model, optimiser and schedule fields.
/// </summary>
public enum RunMethod
{
    /// <summary>Formula-driven supervised learning on a generated AVS-DB dataset folder.</summary>
    FdslDataset,
    /// <summary>Formula-driven supervised learning on samples generated on the fly from an AVS-DB spec and seed.</summary>
    FdslOnTheFly,
}

public static class RunMethods
{
    public static string Describe(RunMethod method) => method switch
    {
        RunMethod.FdslDataset => "FDSL on an AVS-DB dataset",
        RunMethod.FdslOnTheFly => "FDSL on the fly (AVS-DB spec + seed)",
        _ => method.ToString(),
    };
}
