using static System.FormattableString;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Every parameter of the AVS-DB generator (Tadokoro, Yamada, Kataoka, CVPRW 2023; reference code
/// SUPER-TADORY/PrimGeoSeg data_generation). Serialises to/from JSON with <see cref="JsonOptions"/>.
/// Class id = xyIndex · |ZClasses| + zIndex + 1 (product order, 0 = background).
/// <para>
/// Presets: <see cref="CodeDefault"/> is the reference code's 8 xy × 4 z = 32 classes.
/// <see cref="PaperBest"/> is the paper's best Table 1 setting, 8 xy × 2 z: the 8 xy classes
/// {ellipse, 3..9 vertices} with z classes {Constant ("prism"), ConcaveInside ("hourglass")} — the
/// two z rules the reference code keeps when its <c>reduce_z_class</c> switch (the paper's "z: 2"
/// ablation) is on. See README.md beside this file.
/// </para>
/// </summary>
public sealed record AvsDbSpec
{
    /// <summary>Edge of the cubic volume in voxels (reference 96).</summary>
    public int VolumeSize { get; init; } = 96;

    /// <summary>Shapes drawn per volume before placement (reference 20).</summary>
    public int ShapesPerVolume { get; init; } = 20;

    /// <summary>A placement is accepted only when (voxels shared with placed shapes)/(own voxels) &lt; this (reference 0.7).</summary>
    public double OverlapLimit { get; init; } = 0.7;

    /// <summary>Random positions tried per shape before it is dropped (reference ~100).</summary>
    public int MaxPlacementAttempts { get; init; } = 100;

    /// <summary>Number of slices of a shape (reference randint(10, 50)).</summary>
    public IntRange Depth { get; init; } = new(10, 50);

    /// <summary>
    /// Turn each shape by a random whole-shape 90° rotation (reference ROTATE_L; off in its config, "no_rotate: True").
    /// Drawn once per shape, where the reference redraws it at every placement attempt.
    /// </summary>
    public bool AxisRotations { get; init; }

    public XyClassSpec Xy { get; init; } = new();

    public ZClassSpec[] ZClasses { get; init; } =
        [ZClassSpec.Prism(), ZClassSpec.Hourglass(), ZClassSpec.Pyramid(), ZClassSpec.Rhombus()];

    public AvsDbImageSpec Image { get; init; } = new();

    [JsonIgnore] public int ClassCount => (Xy?.VertexCounts?.Length ?? 0) * (ZClasses?.Length ?? 0);

    public int ClassId(int xyIndex, int zIndex) => xyIndex * ZClasses.Length + zIndex + 1;

    /// <summary>Label name "&lt;xy&gt;-&lt;z&gt;", e.g. "ellipse-constant", "polygon5-concave-inside".</summary>
    public string ClassName(int classId)
    {
        if (classId < 1 || classId > ClassCount)
            throw new ArgumentOutOfRangeException(nameof(classId), classId, $"Class ids run 1..{ClassCount}.");
        int xy = (classId - 1) / ZClasses.Length, z = (classId - 1) % ZClasses.Length;
        return $"{XyClassSpec.ClassName(Xy.VertexCounts[xy])}-{ZClasses[z].Rule.Slug()}";
    }

    /// <summary>The reference code's configuration (config001.yaml): 8 xy × 4 z = 32 classes, r = 0.7.</summary>
    public static AvsDbSpec CodeDefault(int volumeSize = 96) => new AvsDbSpec().ScaledTo(volumeSize);

    /// <summary>
    /// The paper's best setting (Table 1, xy: 8 × z: 2 = 16 classes, r = 0.7, 96³): all 8 xy classes with
    /// the Constant ("prism") and ConcaveInside ("hourglass") z rules, the pair the reference code keeps
    /// for its 2-z-class setting (<c>reduce_z_class</c>).
    /// </summary>
    public static AvsDbSpec PaperBest(int volumeSize = 96) =>
        new AvsDbSpec { ZClasses = [ZClassSpec.Prism(), ZClassSpec.Hourglass()] }.ScaledTo(volumeSize);

    /// <summary>Preset by CLI name: "paper-best" or "code-default".</summary>
    public static AvsDbSpec Preset(string name, int volumeSize = 96) => name.ToLowerInvariant() switch
    {
        "paper-best" => PaperBest(volumeSize),
        "code-default" => CodeDefault(volumeSize),
        _ => throw new ArgumentException($"Unknown AVS-DB preset '{name}'; use paper-best or code-default.", nameof(name)),
    };

    /// <summary>
    /// The same spec for another volume size: every length (box side, radii, depth, extremum margin)
    /// scaled by newSize / VolumeSize, so 32³ or 64³ volumes hold shapes of the same relative size.
    /// </summary>
    public AvsDbSpec ScaledTo(int newSize)
    {
        if (newSize < 8) throw new ArgumentOutOfRangeException(nameof(newSize), newSize, "VolumeSize must be >= 8.");
        if (newSize == VolumeSize) return this;
        double f = (double)newSize / VolumeSize;
        var side = Xy.PolygonBoxSide.Scaled(f, 2);
        var ellipseMax = Xy.EllipseMaxRadius.Scaled(f, 1);
        return this with
        {
            VolumeSize = newSize,
            Depth = Depth.Scaled(f, 1),
            Xy = Xy with
            {
                PolygonBoxSide = side,
                PolygonMinRadius = Math.Min(Xy.PolygonMinRadius * f, side.Min / 2.0),
                EllipseMaxRadius = ellipseMax,
                EllipseMinRadius = Math.Min(Xy.EllipseMinRadius * f, ellipseMax.Min),
            },
            ZClasses = ZClasses.Select(z => z with { ExtremumMargin = Math.Max(1, (int)Math.Round(z.ExtremumMargin * f)) }).ToArray(),
        };
    }

    /// <summary>Limits of <see cref="Validate"/>, also the portal form's field ranges.</summary>
    public const int MinVolumeSize = 8, MaxVolumeSize = 1024, MaxShapesPerVolume = 10_000;

    /// <summary>All problems with this spec, each naming the field and the offending value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (VolumeSize < MinVolumeSize || VolumeSize > MaxVolumeSize) errors.Add(Invariant($"VolumeSize must be in {MinVolumeSize}..{MaxVolumeSize}, got {VolumeSize}"));
        if (ShapesPerVolume < 1 || ShapesPerVolume > MaxShapesPerVolume) errors.Add(Invariant($"ShapesPerVolume must be in 1..{MaxShapesPerVolume}, got {ShapesPerVolume}"));
        if (!(OverlapLimit > 0 && OverlapLimit <= 1)) errors.Add(Invariant($"OverlapLimit must be in (0, 1], got {OverlapLimit}"));
        if (MaxPlacementAttempts < 1) errors.Add(Invariant($"MaxPlacementAttempts must be >= 1, got {MaxPlacementAttempts}"));
        if (Depth is null || Depth.Min < 1 || Depth.Min > Depth.Max)
            errors.Add(Invariant($"Depth must satisfy 1 <= Min <= Max, got {Depth?.ToString() ?? "null"}"));
        if (Xy is null) errors.Add("Xy is missing");
        else Xy.Validate(errors);
        if (ZClasses is null || ZClasses.Length == 0) errors.Add("ZClasses must list at least one z class, got none");
        else
        {
            for (int i = 0; i < ZClasses.Length; i++)
            {
                if (ZClasses[i] is null) errors.Add(Invariant($"ZClasses[{i}] is null"));
                else ZClasses[i].Validate($"ZClasses[{i}]", errors);
            }
            if (ZClasses.Where(z => z is not null).GroupBy(z => z.Rule).Any(g => g.Count() > 1))
                errors.Add(Invariant($"ZClasses must not repeat a rule, got [{string.Join(", ", ZClasses.Where(z => z is not null).Select(z => z.Rule))}]"));
        }
        if (Image is null) errors.Add("Image is missing");
        else Image.Validate(errors);
        if (errors.Count == 0 && ClassCount > short.MaxValue)
            errors.Add(Invariant($"Xy.VertexCounts × ZClasses gives {ClassCount} classes, more than an int16 label map holds ({short.MaxValue})"));
        return errors;
    }

    /// <summary>Throws <see cref="AvsDbSpecException"/> listing every problem when the spec is invalid.</summary>
    public AvsDbSpec EnsureValid(string? source = null)
    {
        var errors = Validate();
        if (errors.Count > 0) throw new AvsDbSpecException(source, errors);
        return this;
    }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a spec; errors name the source, the JSON path/field and the value.</summary>
    public static AvsDbSpec FromJson(string json, string? source = null)
    {
        AvsDbSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<AvsDbSpec>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            string where = ex.Path is { Length: > 0 } p ? $" at {p}" : "";
            throw new AvsDbSpecException(source, [$"invalid JSON{where}: {ex.Message}"], ex);
        }
        if (spec is null) throw new AvsDbSpecException(source, ["the file holds JSON null, not a spec"]);
        return spec.EnsureValid(source);
    }

    public static AvsDbSpec Load(string path)
    {
        if (!File.Exists(path)) throw new AvsDbSpecException(path, ["file not found"]);
        return FromJson(File.ReadAllText(path), path);
    }
}
