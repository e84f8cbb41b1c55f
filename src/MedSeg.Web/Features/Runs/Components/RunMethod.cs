namespace MedSeg.Web.Features.Runs.Components;

/// <summary>
/// Which FDSL method of the catalogue (<see cref="Training.Methods.MethodCatalog"/>) the run form queues: on the fly
/// (<see cref="Training.Fdsl.FdslAvsDbMethod"/>) or on a dataset folder (<see cref="Training.Fdsl.FdslDatasetMethod"/>).
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
        RunMethod.FdslDataset => Training.Fdsl.FdslDatasetMethod.Instance.DisplayName,
        RunMethod.FdslOnTheFly => Training.Fdsl.FdslAvsDbMethod.Instance.DisplayName,
        _ => method.ToString(),
    };
}
