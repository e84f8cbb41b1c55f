namespace MedSeg.Data.Entities;

/// <summary>Life cycle of a dataset generation. Stored as text.</summary>
public enum DatasetStatus
{
    /// <summary>Waiting in the queue for the generation service.</summary>
    Queued,
    /// <summary>Being written now.</summary>
    Running,
    /// <summary>All requested volumes are on disk.</summary>
    Completed,
    /// <summary>Stopped by an error (see <see cref="Dataset.Error"/>).</summary>
    Failed,
    /// <summary>Stopped by a user.</summary>
    Cancelled,
    /// <summary>The server stopped while it was running; can be resumed.</summary>
    Interrupted,
}
