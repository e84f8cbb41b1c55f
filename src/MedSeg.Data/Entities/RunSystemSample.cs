namespace MedSeg.Data.Entities;

/// <summary>
/// One reading of the machine while a run trained (every few seconds): the training process's CPU share and resident
/// memory, and its GPU's utilisation and memory when it trains on a CUDA device (null otherwise). A run keeps a bounded
/// number of rows: when full, every other one is dropped and the run samples half as often.
/// </summary>
public class RunSystemSample
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public DateTime At { get; set; }

    /// <summary>The run's completed steps when the reading was taken (the x of the run page's charts).</summary>
    public long Step { get; set; }

    /// <summary>CPU share of the training process, all cores = 100.</summary>
    public float CpuPercent { get; set; }
    public long ResidentBytes { get; set; }
    public float? GpuPercent { get; set; }
    public long? GpuMemoryBytes { get; set; }
}
