using MedSeg.Core.Volumes;

namespace MedSeg.Training.Data;

/// <summary>An image and its label map of the same shape (labels are class indices 0..C−1).</summary>
public sealed record LabeledVolume(Volume Image, Volume Label, string Name)
{
    public void EnsureSameShape()
    {
        if (Image.SizeX != Label.SizeX || Image.SizeY != Label.SizeY || Image.SizeZ != Label.SizeZ)
            throw new InvalidDataException(
                $"Sample '{Name}': image {Image.SizeX}×{Image.SizeY}×{Image.SizeZ} and label {Label.SizeX}×{Label.SizeY}×{Label.SizeZ} differ in shape.");
    }
}
