using MedSeg.Data.Entities;
using System.Text.Json;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;
using MedSeg.Web.Features.Runs.Cluster;

namespace MedSeg.Web.Features.Runs.Components;

/// <summary>
/// What the run form edits: a copy of the run's <see cref="FdslOptions"/> (the options record owns the defaults and the
/// rules; the form binds its fields directly, and every field it does not show — model arguments, axis order, Adam's
/// eps, schedule cycles, loader workers, TF32, … — is carried through unchanged), plus the few things that are not
/// options: name, tags, where the data comes from.
/// </summary>
public sealed class RunDraft
{
    public static readonly string[] SpecPresets = ["paper-best", "code-default"];
    public static readonly string[] Devices = ["auto", "cpu", "cuda"];
    /// <summary>What each preset is: the paper's best setting, or the reference code's default (not the paper's).</summary>
    public static string SpecPresetLabel(string preset) => preset switch
    {
        "paper-best" => "paper-best: the paper's best (Table 1, 8 xy × 2 z = 16 classes)",
        "code-default" => "code-default: the reference code's (8 xy × 4 z = 32 classes; not the paper's best)",
        _ => preset,
    };
    /// <summary><see cref="SpecPreset"/> value meaning "the spec of the run this one clones" (<see cref="ClonedSpecJson"/>).</summary>
    public const string ClonedSpec = "cloned";
    /// <summary>What the steps field offers when switched from epochs to steps (the record's default is "by epochs").</summary>
    public const int SuggestedSteps = 10_000;
    /// <summary>Placeholder run folder for <see cref="FdslOptions.Problems"/>: the training service picks the real one.</summary>
    private const string PendingOutput = "runs/pending";

    public RunDraft() : this(new FdslOptions()) { }

    private RunDraft(FdslOptions options)
    {
        Options = options;
        lastSteps = options.Steps ?? SuggestedSteps;
    }

    /// <summary>The draft of an earlier run's options (a deep copy: editing it never touches <paramref name="options"/>).</summary>
    public static RunDraft From(FdslOptions options)
    {
        var copy = Copy(options);
        // A run from before the intensity rule was recorded fed raw values: its clone keeps doing so, named.
        copy.InputIntensity ??= Training.Fdsl.InputIntensity.Legacy;
        return new(copy);
    }

    /// <summary>The options the form edits in place.</summary>
    public FdslOptions Options { get; }

    public string Name { get; set; } = "";
    public string Tags { get; set; } = "";
    public RunMethod Method { get; set; } = RunMethod.FdslOnTheFly;
    /// <summary>The AVS-DB dataset for <see cref="RunMethod.FdslDataset"/>.</summary>
    public int? DatasetId { get; set; }
    /// <summary>Spec preset for <see cref="RunMethod.FdslOnTheFly"/>.</summary>
    public string SpecPreset { get; set; } = "paper-best";
    public int SpecVolumeSize { get; set; } = 128;
    /// <summary>The cloned run's on-the-fly spec, offered as <see cref="ClonedSpec"/>; null otherwise.</summary>
    public string? ClonedSpecJson { get; set; }

    /// <summary>Where the run executes (<c>Local</c> / <c>Slurm</c>); null = the portal's <c>Training:Backend</c>.</summary>
    public string? Backend { get; set; }
    /// <summary>Slurm partition, GPUs, CPUs and time limit (minutes); null = the site's default. Used when <see cref="Backend"/> is Slurm.</summary>
    public string? ClusterPartition { get; set; }
    public int? ClusterGpus { get; set; }
    public int? ClusterCpus { get; set; }
    public int? ClusterTimeLimitMinutes { get; set; }

    /// <summary>The cluster request the form's "Where to run" section describes (null unless the run goes to Slurm).</summary>
    public ClusterRequest? Cluster => Backend == Data.Entities.RunBackends.Slurm
        ? new ClusterRequest(ClusterPartition, ClusterGpus, ClusterCpus, null, ClusterTimeLimitMinutes) : null;

    private int lastSteps;

    /// <summary>Train for <see cref="Steps"/> optimiser steps (else for <see cref="FdslOptions.Epochs"/> over the samples).</summary>
    public bool UseSteps
    {
        get => Options.Steps is not null;
        set => Options.Steps = value ? lastSteps : null;
    }

    /// <summary>The steps field (kept while the form trains by epochs, so switching back restores it).</summary>
    public int Steps
    {
        get => Options.Steps ?? lastSteps;
        set { lastSteps = value; if (UseSteps) Options.Steps = value; }
    }

    /// <summary>Optimiser steps this configuration trains for.</summary>
    public long TotalSteps => Options.Steps ?? (Options.BatchSize > 0 ? (long)Math.Ceiling((double)Options.Epochs * Math.Max(Options.Samples, 0) / Options.BatchSize) : 0);

    /// <summary>Networks the form offers: the factory's.</summary>
    public static IReadOnlyList<string> Models => [.. ModelFactory.Names.Order(StringComparer.Ordinal)];

    /// <summary>Every problem, one message each naming the field and value: the draft's own, then the options record's.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message) { if (!ok) errors.Add(message); }

        Check(!string.IsNullOrWhiteSpace(Name), "Name is required.");
        if (!string.IsNullOrWhiteSpace(Name) && NameRule.Problem(Name.Trim()) is { } badName) errors.Add(badName);
        if (Method == RunMethod.FdslDataset)
            Check(DatasetId is > 0, "Dataset: choose a completed AVS-DB dataset.");
        else if (SpecPreset == ClonedSpec && ClonedSpecJson is not null)
            Check(Options.Crop <= ClonedVolumeSize(), $"Crop ({Options.Crop}) must not exceed the cloned spec's volume size ({ClonedVolumeSize()}).");
        else
        {
            Check(SpecPresets.Contains(SpecPreset), $"Spec preset must be one of {string.Join(", ", SpecPresets)}, got '{SpecPreset}'.");
            Check(SpecVolumeSize is >= 8 and <= 1024, $"Volume size must be in 8..1024, got {SpecVolumeSize}.");
            Check(Options.Crop <= SpecVolumeSize, $"Crop ({Options.Crop}) must not exceed the generated volume size ({SpecVolumeSize}).");
        }
        Check(ModelFactory.Names.Contains(Options.Model, StringComparer.OrdinalIgnoreCase),
            $"Model must be one of {string.Join(", ", Models)}, got '{Options.Model}'.");
        var options = ToOptions();
        options.OutputDir = PendingOutput;
        errors.AddRange(options.Problems());
        return errors;
    }

    public IReadOnlyList<string> TagList() =>
        Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The spec an on-the-fly run generates from.</summary>
    public AvsDbSpec Spec() => SpecPreset == ClonedSpec && ClonedSpecJson is not null
        ? AvsDbSpec.FromJson(ClonedSpecJson, "cloned run's spec")
        : AvsDbSpec.Preset(SpecPreset, SpecVolumeSize);

    private int ClonedVolumeSize()
    {
        try { return Spec().VolumeSize; }
        catch (AvsDbSpecException) { return 0; }
    }

    /// <summary>A copy of the edited options, paths and resume cleared (run folder and data are the backend's business).</summary>
    public FdslOptions ToOptions()
    {
        var o = Copy(Options);
        o.OutputDir = "";
        o.DatasetDir = null;
        o.SpecPath = null;
        o.Resume = false;
        return o;
    }

    private static FdslOptions Copy(FdslOptions o) =>
        JsonSerializer.Deserialize<FdslOptions>(JsonSerializer.Serialize(o, TrainingConfig.Json), TrainingConfig.Json)!;
}
