using System.Text.Json;

namespace MedSeg.Training.Methods;

/// <summary>
/// One pretraining method of the catalogue (AVS-DB FDSL, Volume Fusion, LWI, Swin SSL, 2.5D context, Doersch, …).
/// A method lives in one folder under <c>Methods/</c>: its options record, its batch source, its heads and loss
/// (<see cref="IMethodObjective"/>) and this descriptor. The loop, checkpoints, exact resume, progress events, run folder
/// and validation are shared (<see cref="Loop.SegmentationTrainingLoop"/>).
/// </summary>
public interface IPretrainingMethod
{
    /// <summary>Stable id stored with every run and in config.json, e.g. "fdsl", "volf", "lwi", "swin-ssl".</summary>
    string Name { get; }

    /// <summary>What people read in lists and leaderboards, e.g. "Volume Fusion (MIS-FM)".</summary>
    string DisplayName { get; }

    /// <summary>The method's options record type (owns its defaults, JSON and <see cref="IMethodOptions.Problems"/>).</summary>
    Type OptionsType { get; }

    /// <summary>Options with every default (what the run form starts from).</summary>
    IMethodOptions CreateDefaultOptions();

    /// <summary>Reads the options record from its JSON (unknown fields refused, missing ones default).</summary>
    IMethodOptions ReadOptions(JsonElement json);

    /// <summary>
    /// Builds everything one run needs from validated options (data source, network, objective); nothing is trained yet.
    /// A failure is reported as a <see cref="Fdsl.TrainingException"/> naming the field and value.
    /// </summary>
    MethodRun Prepare(IMethodOptions options);

    /// <summary>
    /// The options field (its JSON name, e.g. "sourceDir") naming the folder of images the method trains on, or null when
    /// the method brings its own data. A host that offers a data picker (the portal) fills it; users never type server paths.
    /// </summary>
    string? SourceOption => null;

    /// <summary>
    /// The network a downstream fine-tune starts from (<c>init run:…</c>), or null when the backbone is not a segmentation
    /// network (e.g. 2.5D context descriptors).
    /// </summary>
    PretrainedBackbone? Backbone(IMethodOptions options) => null;

    /// <summary>
    /// What one run of these options asks of memory (network, crop, batch, classes, views, heads), for the host's admission
    /// check (<see cref="Estimates.RunMemoryEstimator"/>); null when the method gives none (the run is not refused for memory).
    /// </summary>
    Estimates.RunMemoryRequest? MemoryRequest(IMethodOptions options) => null;
}
