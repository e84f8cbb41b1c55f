namespace MedSeg.Data.Entities;

/// <summary>
/// One fine-tune of a benchmark protocol (method × dataset × budget × seed) and the run that trains it. Unique per lab,
/// protocol name, recipe and cell, so running a protocol again (a new version with an added seed, more methods) queues
/// only the cells not there yet; the run's status is the cell's state.
/// </summary>
public class BenchmarkCell
{
    public int Id { get; set; }
    public string LabId { get; set; } = Labs.Default;
    public string ProtocolName { get; set; } = "";
    public string RecipeHash { get; set; } = "";
    /// <summary>"scratch" or "run-&lt;id&gt;" of the pretraining run.</summary>
    public string MethodKey { get; set; } = "";
    /// <summary>Row label: run name and method.</summary>
    public string MethodLabel { get; set; } = "";
    public string Dataset { get; set; } = "";
    /// <summary>"all" or a number of labelled cases.</summary>
    public string Budget { get; set; } = "";
    public long Seed { get; set; }
    public int TrainingRunId { get; set; }
    public TrainingRun? TrainingRun { get; set; }
}
