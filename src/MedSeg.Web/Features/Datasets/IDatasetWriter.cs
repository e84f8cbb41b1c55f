namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// Writes one kind of dataset to a folder. Implementations must resume (skip volumes already complete on disk),
/// never leave a half-written volume under its final name, and honour the token between volumes.
/// </summary>
public interface IDatasetWriter
{
    /// <summary>The <c>Dataset.Kind</c> this writer handles.</summary>
    string Kind { get; }

    Task WriteAsync(DatasetWriteRequest request, IProgress<DatasetWriteProgress> progress, CancellationToken cancellationToken);

    /// <summary>Volumes whose image and label are both complete in <paramref name="datasetDirectory"/>, by index.</summary>
    IReadOnlyList<DatasetVolumeFiles> ListCompleteVolumes(string datasetDirectory);

    /// <summary>Every problem with a spec (field and value named); empty when the writer accepts it.</summary>
    IReadOnlyList<string> ValidateSpec(string specJson);

    /// <summary>Label names by class id (0 = background) for a stored spec.</summary>
    IReadOnlyList<string> ClassNames(string specJson);
}

/// <param name="SpecJson">The generator spec as stored on the dataset row.</param>
/// <param name="Seed">Dataset seed; volume i is a pure function of (spec, seed, i).</param>
/// <param name="Count">Volumes requested in total (including ones already on disk).</param>
/// <param name="OutputDirectory">Absolute dataset folder.</param>
public sealed record DatasetWriteRequest(string SpecJson, long Seed, int Count, string OutputDirectory);

/// <param name="VolumesDone">Complete volumes on disk, including ones from earlier runs.</param>
/// <param name="VolumesWrittenThisRun">Volumes this run wrote (the basis of the rate; resumed volumes excluded).</param>
/// <param name="DroppedShapes">Shapes the generator could not place, summed over the volumes processed.</param>
public sealed record DatasetWriteProgress(int VolumesDone, int VolumesTotal, int VolumesWrittenThisRun, long BytesOnDisk, int DroppedShapes);

/// <summary>One complete volume: absolute paths of its image and label files.</summary>
public sealed record DatasetVolumeFiles(int Index, string ImagePath, string LabelPath);
