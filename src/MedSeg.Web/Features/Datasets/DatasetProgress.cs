using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// A snapshot of one dataset's generation, pushed to Blazor components and SignalR clients (event <c>progress</c>).
/// </summary>
/// <param name="VolumesPerSecond">Rate over the current run; null before the first volume of the run.</param>
/// <param name="EtaSeconds">Seconds left at that rate; null when unknown.</param>
public sealed record DatasetProgress(
    int DatasetId,
    DatasetStatus Status,
    int VolumesDone,
    int VolumesRequested,
    long BytesOnDisk,
    int DroppedShapes,
    double? VolumesPerSecond,
    double? EtaSeconds,
    string? Error)
{
    public bool IsActiveStatus() => Status is DatasetStatus.Queued or DatasetStatus.Running;

    public double Fraction => VolumesRequested <= 0 ? 0 : Math.Clamp((double)VolumesDone / VolumesRequested, 0, 1);

    public static DatasetProgress FromRow(Dataset d, double? rate = null, double? eta = null) =>
        new(d.Id, d.Status, d.VolumeCountDone, d.VolumeCountRequested, d.BytesOnDisk, d.DroppedShapes, rate, eta, d.Error);
}
