namespace MedSeg.Core.Generators.AvsDb;

/// <summary>How the image channel is drawn from the placed shapes (never from class ids).</summary>
public enum ImageMode
{
    /// <summary>Reference AVS-DB: a thin outline of every cross-section at <see cref="AvsDbImageSpec.OutlineValue"/> on background.</summary>
    Outline,
    /// <summary>Each shape filled with its own intensity drawn from <see cref="AvsDbImageSpec.FilledIntensity"/>.</summary>
    Filled,
}
