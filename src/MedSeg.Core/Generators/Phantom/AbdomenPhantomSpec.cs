using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// Settings of the SYNTHETIC abdominal CT phantom (JSON, camelCase). Anatomy is laid out relative to the
/// field of view (the body fills about 85 % of the width whatever the size), so <see cref="Spacing"/> only
/// sets the header geometry and how coarse the z sampling (and so the partial-volume blur) is.
/// </summary>
public sealed record AbdomenPhantomSpec
{
    /// <summary>Voxels along x (patient right→left), y (anterior→posterior), z (inferior→superior).</summary>
    public int[] Size { get; init; } = [128, 128, 48];

    /// <summary>Voxel size in mm; the default is a typical abdominal CT (fine in-plane, thick slices).</summary>
    public double[] Spacing { get; init; } = [0.8, 0.8, 2.5];

    /// <summary>Standard deviation of the white Gaussian noise added last (HU).</summary>
    public double NoiseSigmaHu { get; init; } = 15;

    /// <summary>Amplitude of the smooth low-frequency texture inside tissues (HU).</summary>
    public double TextureAmplitudeHu { get; init; } = 8;

    /// <summary>Largest random rotation of the body about z, either way (degrees).</summary>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>Largest random shift of the body, as a fraction of the half field of view.</summary>
    public double MaxTranslationFraction { get; init; } = 0.05;

    /// <summary>Organ size jitter: each organ is scaled by U(1 − j, 1 + j).</summary>
    public double OrganScaleJitter { get; init; } = 0.15;

    /// <summary>Sub-samples per voxel along z averaged into the HU (partial volume); labels use the voxel centre.</summary>
    public int ZSupersampling { get; init; } = 2;

    /// <summary>Blur the HU in-plane with a [1 2 1]/4 kernel before noise (scanner point-spread); labels stay hard.</summary>
    public bool InPlaneBlur { get; init; } = true;

    public static AbdomenPhantomSpec Default { get; } = new();

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads and validates a spec file; errors name the file and field.</summary>
    public static AbdomenPhantomSpec Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhantomSpecException($"phantom spec {path}: cannot read ({e.Message})", e);
        }
        AbdomenPhantomSpec? spec;
        try { spec = JsonSerializer.Deserialize<AbdomenPhantomSpec>(text, Json); }
        catch (JsonException e)
        {
            throw new PhantomSpecException($"phantom spec {path}: invalid JSON at {e.Path ?? "$"} ({e.Message})", e);
        }
        return (spec ?? throw new PhantomSpecException($"phantom spec {path}: file holds null")).Validated(path);
    }

    /// <summary>Returns this spec if every field is in range, else throws naming the field and its value.</summary>
    public AbdomenPhantomSpec Validated(string? source = null)
    {
        string where = source is null ? "phantom spec" : $"phantom spec {source}";
        var c = CultureInfo.InvariantCulture;
        void Fail(string field, object? value, string rule) =>
            throw new PhantomSpecException(string.Format(c, "{0}: {1} must be {2}, got {3}", where, field, rule, value ?? "null"));

        if (Size is null || Size.Length != 3) Fail("size", Size is null ? null : $"[{string.Join(", ", Size)}]", "three integers [x, y, z]");
        for (int i = 0; i < 3; i++)
            if (Size![i] < 8 || Size[i] > 1024) Fail($"size[{i}]", Size[i], "in 8..1024");
        if (Spacing is null || Spacing.Length != 3)
            Fail("spacing", Spacing is null ? null : $"[{string.Join(", ", Spacing.Select(s => s.ToString(c)))}]", "three numbers [x, y, z] in mm");
        for (int i = 0; i < 3; i++)
            if (!(Spacing![i] > 0) || Spacing[i] > 50) Fail($"spacing[{i}]", Spacing[i].ToString(c), "a positive number of mm up to 50");
        if (!(NoiseSigmaHu >= 0) || NoiseSigmaHu > 500) Fail("noiseSigmaHu", NoiseSigmaHu.ToString(c), "in 0..500");
        if (!(TextureAmplitudeHu >= 0) || TextureAmplitudeHu > 200) Fail("textureAmplitudeHu", TextureAmplitudeHu.ToString(c), "in 0..200");
        if (!(MaxRotationDegrees >= 0) || MaxRotationDegrees > 180) Fail("maxRotationDegrees", MaxRotationDegrees.ToString(c), "in 0..180");
        if (!(MaxTranslationFraction >= 0) || MaxTranslationFraction > 0.3) Fail("maxTranslationFraction", MaxTranslationFraction.ToString(c), "in 0..0.3");
        if (!(OrganScaleJitter >= 0) || OrganScaleJitter > 0.5) Fail("organScaleJitter", OrganScaleJitter.ToString(c), "in 0..0.5");
        if (ZSupersampling < 1 || ZSupersampling > 8) Fail("zSupersampling", ZSupersampling, "in 1..8");
        return this;
    }
}
