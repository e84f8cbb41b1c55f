namespace MedSeg.Training.Inference;

/// <summary>How overlapping window outputs are blended (MONAI <c>BlendMode</c>).</summary>
public enum BlendMode
{
    /// <summary>Every voxel of every window weighs the same: overlaps are plain averages.</summary>
    Constant,

    /// <summary>Window centres weigh more than their edges (separable Gaussian, sigma = sigma_scale · roi).</summary>
    Gaussian,
}

public static class BlendModes
{
    /// <summary>Parses "constant" | "gaussian" (case-insensitive), naming the bad value otherwise.</summary>
    public static BlendMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "constant" => BlendMode.Constant,
        "gaussian" => BlendMode.Gaussian,
        _ => throw new ArgumentException($"Blend mode '{text}' is not one of: constant, gaussian."),
    };
}
