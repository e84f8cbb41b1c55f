using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// Everything that decides a Volume Fusion sample (JSON camelCase, recorded with every generated dataset and run).
/// Per-axis triples are in (D, H, W) = (z, y, x) order, as the authors write them. Defaults are the paper's.
/// </summary>
public sealed record VolfOptions
{
    public VolfVariant Variant { get; init; } = VolfVariant.Paper;

    /// <summary>Sub-volume (D, H, W) cropped from each source; the paper uses 64×128×128.</summary>
    public int[] Size { get; init; } = [64, 128, 128];

    /// <summary>Number of classes incl. background (PyMIC class_num); K = Classes − 1 fusion weights α = label / K.</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Paper variant: boxes per sample ~ randint[min, max].</summary>
    public int BoxCountMin { get; init; } = 10;
    public int BoxCountMax { get; init; } = 40;

    /// <summary>Paper variant: box size per axis ~ randint[min, max] (D, H, W).</summary>
    public int[] BoxSizeMin { get; init; } = [8, 8, 8];
    public int[] BoxSizeMax { get; init; } = [40, 80, 80];

    /// <summary>PyMIC 2024: one grid block size per sample ~ randint[min, max] (D, H, W).</summary>
    public int[] BlockSizeMin { get; init; } = [5, 8, 8];
    public int[] BlockSizeMax { get; init; } = [20, 32, 32];

    /// <summary>PyMIC 2024: fraction of the grid's whole blocks that get a fusion label (exactly ⌊blocks · fraction⌋).</summary>
    public double FusedFraction { get; init; } = 0.7;

    /// <summary>PyMIC 2024: each view's crop is the sub-volume size times U(min, max) per axis, zoomed back linearly.</summary>
    public double ScaleMin { get; init; } = 0.7;
    public double ScaleMax { get; init; } = 1.5;

    /// <summary>
    /// PyMIC 2024: each view's contrast map clips to the p0-th and p1-th percentile, p0 ~ U(<see cref="ContrastLowMin"/>,
    /// <see cref="ContrastLowMax"/>), p1 ~ U(<see cref="ContrastHighMin"/>, <see cref="ContrastHighMax"/>), and rescales to 0..1.
    /// </summary>
    public double ContrastLowMin { get; init; } = 0.1;
    public double ContrastLowMax { get; init; } = 2.0;
    public double ContrastHighMin { get; init; } = 98;
    public double ContrastHighMax { get; init; } = 99.9;

    /// <summary>PyMIC 2024: x^γ, γ ~ U(min, max) on each view after the contrast map.</summary>
    public double GammaMin { get; init; } = 0.7;
    public double GammaMax { get; init; } = 1.5;

    /// <summary>PyMIC 2024: both views of a sample are inverted (1 − x) together with this probability (one draw).</summary>
    public double InvertProbability { get; init; } = 0.25;

    /// <summary>Random flip of each crop along every axis with probability 0.5 (both variants).</summary>
    public bool RandomFlips { get; init; } = true;

    public VolfNormalisation Normalisation { get; init; } = VolfNormalisation.HuWindow;
    public double HuMin { get; init; } = -175;
    public double HuMax { get; init; } = 250;

    /// <summary>K: the number of non-zero fusion labels.</summary>
    [JsonIgnore] public int FusionLevels => Classes - 1;

    /// <summary>Padding rule, recorded: a source smaller than the sub-volume is centred and padded with its normalised minimum.</summary>
    public const string PaddingRule = "centred, padded with the normalised volume's minimum";

    public static VolfOptions Default { get; } = new();

    /// <summary>Upper bounds a user can type (a sub-volume of 512³ floats is already 0.5 GB).</summary>
    public const int MaxSize = 512, MaxClasses = 32, MaxBoxCount = 1000;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static VolfOptions FromJson(string json) =>
        JsonSerializer.Deserialize<VolfOptions>(json, Json) ?? throw new JsonException("Volume Fusion options: JSON holds null");

    /// <summary>Every bad field, naming the field, the value and the limit; empty when the options can draw samples.</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        var c = CultureInfo.InvariantCulture;
        static string Show(int[]? a) => a is null ? "null" : "[" + string.Join(", ", a) + "]";
        bool Triple(string name, int[]? v, int min, int max)
        {
            if (v is null || v.Length != 3) { p.Add($"{name} must be three integers (D, H, W), got {Show(v)}"); return false; }
            for (int i = 0; i < 3; i++)
                if (v[i] < min || v[i] > max) p.Add($"{name}[{i}] must be in {min}..{max}, got {v[i]}");
            return true;
        }
        void Range(string name, double v, double min, double max)
        {
            if (!(v >= min && v <= max)) p.Add(string.Format(c, "{0} must be in {1}..{2}, got {3}", name, min, max, v));
        }

        Triple("size", Size, 4, MaxSize);
        if (Classes < 2 || Classes > MaxClasses) p.Add($"classes must be in 2..{MaxClasses}, got {Classes}");
        if (!Enum.IsDefined(Variant)) p.Add($"variant must be paper or pymic2024, got {(int)Variant}");
        if (!Enum.IsDefined(Normalisation)) p.Add($"normalisation must be huWindow or zScore, got {(int)Normalisation}");

        if (BoxCountMin < 0 || BoxCountMin > MaxBoxCount) p.Add($"boxCountMin must be in 0..{MaxBoxCount}, got {BoxCountMin}");
        if (BoxCountMax < BoxCountMin || BoxCountMax > MaxBoxCount) p.Add($"boxCountMax must be in boxCountMin ({BoxCountMin})..{MaxBoxCount}, got {BoxCountMax}");
        PairOfTriples("boxSize", BoxSizeMin, BoxSizeMax);
        PairOfTriples("blockSize", BlockSizeMin, BlockSizeMax);
        Range("fusedFraction", FusedFraction, 0, 1);
        Range("scaleMin", ScaleMin, 0.1, 4);
        Range("scaleMax", ScaleMax, ScaleMin, 4);
        Range("contrastLowMin", ContrastLowMin, 0, 100);
        Range("contrastLowMax", ContrastLowMax, ContrastLowMin, 100);
        Range("contrastHighMin", ContrastHighMin, ContrastLowMax, 100);
        Range("contrastHighMax", ContrastHighMax, ContrastHighMin, 100);
        Range("gammaMin", GammaMin, 0.1, 10);
        Range("gammaMax", GammaMax, GammaMin, 10);
        Range("invertProbability", InvertProbability, 0, 1);
        if (!double.IsFinite(HuMin) || !double.IsFinite(HuMax) || HuMax <= HuMin)
            p.Add(string.Format(c, "huMin..huMax must be finite with huMin < huMax, got {0}..{1}", HuMin, HuMax));
        return p;

        void PairOfTriples(string name, int[]? min, int[]? max)
        {
            if (Triple(name + "Min", min, 1, MaxSize) && Triple(name + "Max", max, 1, MaxSize))
                for (int i = 0; i < 3; i++)
                    if (max![i] < min![i]) p.Add($"{name}Max[{i}] must be >= {name}Min[{i}] ({min[i]}), got {max[i]}");
        }
    }

    /// <summary>This record, or an exception listing every problem.</summary>
    public VolfOptions Validated()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("Volume Fusion options: " + string.Join("; ", problems));
        return this;
    }
}
