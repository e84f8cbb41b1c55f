using MedSeg.Training.Data;
using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// The images a self-supervised method (LWI, Swin SSL) reads: a dataset folder with a dataset.json (imported dataset,
/// phantom, AVS-DB; its training list) or a plain folder of NIfTI images (<see cref="NiftiFolderSource"/>). Labels are never used.
/// </summary>
public static class UnlabelledSources
{
    /// <summary>Opens <paramref name="folder"/>; a problem becomes a <see cref="TrainingException"/> naming <paramref name="field"/>.</summary>
    public static IVolumeSampleSource Open(string folder, int maxSamples, string field)
    {
        try
        {
            return File.Exists(Path.Combine(folder, "dataset.json"))
                ? DatasetFolderSource.Open(folder, maxSamples, 0).Train
                : new NiftiFolderSource(folder, maxSamples);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new TrainingException($"{field} '{folder}': {e.Message}", e);
        }
    }
}
