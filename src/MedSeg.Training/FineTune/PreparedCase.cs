using MedSeg.Core.Nifti;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Training.FineTune;

/// <summary>A case after the deterministic preprocessing (<see cref="PreprocessingPipeline.Prepare"/>), kept in memory.</summary>
public sealed record PreparedCase(FineTuneCase Case, SegmentationSample Sample)
{
    public static PreparedCase Load(FineTuneCase c, PreprocessingPipeline pipeline)
    {
        try
        {
            return new PreparedCase(c, pipeline.Prepare(NiftiReader.Read(c.ImagePath), NiftiReader.Read(c.LabelPath)));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"Case '{c.Id}' ({c.ImagePath}, {c.LabelPath}) could not be preprocessed: {e.Message}", e);
        }
    }

    /// <summary>Loads cases in parallel, in input order.</summary>
    public static IReadOnlyList<PreparedCase> LoadAll(IReadOnlyList<FineTuneCase> cases, PreprocessingPipeline pipeline)
    {
        var result = new PreparedCase[cases.Count];
        Parallel.For(0, cases.Count, i => result[i] = Load(cases[i], pipeline));
        return result;
    }
}
