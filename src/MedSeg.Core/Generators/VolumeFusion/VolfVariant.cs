using System.Text.Json.Serialization;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>Which Volume Fusion recipe draws a sample (ssl-methods-reference §1).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VolfVariant>))]
public enum VolfVariant
{
    /// <summary>The MIS-FM paper (PyMIC before 2024-09): foreground = another volume, 10–40 random boxes. The default.</summary>
    Paper,

    /// <summary>PyMIC 2024: two resized, flipped, gamma-mapped views of ONE volume fused on a regular block grid (70 % fused).</summary>
    Pymic2024,
}

/// <summary>How source intensities are normalised before fusion (recorded in the options and the manifest).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VolfNormalisation>))]
public enum VolfNormalisation
{
    /// <summary>Clip to [HuMin, HuMax] and scale to 0..1, as the downstream CT recipe does (−175..250 HU).</summary>
    HuWindow,

    /// <summary>Per-volume z-score: (v − mean) / std over all voxels; a constant volume becomes all zeros.</summary>
    ZScore,
}
