using System.Text.Json;
using System.Text.Json.Serialization;
using MedSeg.Training.Methods;

namespace MedSeg.Training.Fdsl;

/// <summary>
/// What the two FDSL methods share: the options record (<see cref="FdslOptions"/>), segmentation batches of random crops,
/// no heads, a Dice / DiceCE loss (<see cref="SegmentationObjective"/>) and centre-crop validation. They differ in where
/// the synthetic volumes come from.
/// </summary>
public abstract class FdslMethodBase : IPretrainingMethod
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public abstract string Name { get; }
    public abstract string DisplayName { get; }
    public Type OptionsType => typeof(FdslOptions);

    public IMethodOptions CreateDefaultOptions() => new FdslOptions();

    public IMethodOptions ReadOptions(JsonElement json) =>
        json.Deserialize<FdslOptions>(Json) ?? throw new JsonException($"Method '{Name}': the options are null.");

    public MethodRun Prepare(IMethodOptions options)
    {
        if (options is not FdslOptions o)
            throw new ArgumentException($"Method '{Name}' takes {nameof(FdslOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        CheckSource(o);
        return FdslRunFactory.Create(o).ToMethodRun(this);
    }

    /// <summary>Refuses options whose data source is not this method's (recorded as a failed run by the factory otherwise).</summary>
    protected abstract void CheckSource(FdslOptions o);
}

/// <summary>FDSL on synthetic volumes generated on the fly from an AVS-DB spec and the run's seed (no disk I/O).</summary>
public sealed class FdslAvsDbMethod : FdslMethodBase
{
    public static readonly FdslAvsDbMethod Instance = new();
    public override string Name => "fdsl-avsdb";
    public override string DisplayName => "FDSL (AVS-DB on the fly)";

    protected override void CheckSource(FdslOptions o)
    {
        if (o.SpecPath is null || o.DatasetDir is not null)
            throw new ArgumentException($"Method '{Name}' needs an AVS-DB spec (SpecPath, --spec) and no dataset folder; got SpecPath '{o.SpecPath}', DatasetDir '{o.DatasetDir}'.");
    }
}

/// <summary>FDSL on a stored dataset folder (dataset.json + NIfTI, e.g. one the portal generated).</summary>
public sealed class FdslDatasetMethod : FdslMethodBase
{
    public static readonly FdslDatasetMethod Instance = new();
    public override string Name => "fdsl-dataset";
    public override string DisplayName => "FDSL (dataset folder)";

    protected override void CheckSource(FdslOptions o)
    {
        if (o.DatasetDir is null || o.SpecPath is not null)
            throw new ArgumentException($"Method '{Name}' needs a dataset folder (DatasetDir, --dataset) and no AVS-DB spec; got DatasetDir '{o.DatasetDir}', SpecPath '{o.SpecPath}'.");
    }
}
