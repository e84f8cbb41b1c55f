using System.Text.Json;
using MedSeg.Training.FineTune;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// The stored config of a fine-tuning run (<see cref="Data.Entities.TrainingMethods.FineTune"/>): <see cref="FineTuneOptions"/>
/// JSON whose DatasetDir and "run:" init are relative to the data root (so the data root may move); OutputDir, Resume and
/// Device are set by the training service at run time.
/// </summary>
public static class FineTuneRunConfig
{
    public static FineTuneOptions Read(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<FineTuneOptions>(json, FineTuneOptions.Json)
                ?? throw new ArgumentException($"{source}: config is null.");
        }
        catch (JsonException e) { throw new ArgumentException($"{source}: invalid fine-tune config at {e.Path ?? "$"} ({e.Message})", e); }
    }

    public static string Write(FineTuneOptions o) => JsonSerializer.Serialize(o, FineTuneOptions.Json);

    /// <summary>Options ready for <see cref="FineTuneTrainer"/>: stored relative paths made absolute under <paramref name="dataRoot"/>.</summary>
    public static FineTuneOptions ForTraining(string json, string dataRoot, string runFolder, string source)
    {
        var o = Read(json, source);
        o.DatasetDir = Path.GetFullPath(Path.Combine(dataRoot, o.DatasetDir));
        var init = InitSource.Parse(o.Init);
        if (init.Kind != InitKind.Scratch)
            o.Init = new InitSource(init.Kind, Path.GetFullPath(Path.Combine(dataRoot, init.Path!))).ToString();
        o.OutputDir = runFolder;
        o.Resume = true;
        return o;
    }
}
