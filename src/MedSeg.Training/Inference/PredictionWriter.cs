using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Turns stitched logits into a label map: argmax over classes → uint8 volume on the image's grid
/// (same spacing and affine), written as NIfTI (the writer goes through a temporary file and renames).
/// </summary>
public static class PredictionWriter
{
    /// <param name="logits">[1, C, Z, Y, X] or [C, Z, Y, X], in the image's (Z, Y, X) layout.</param>
    public static Volume ToLabelVolume(Tensor logits, Volume image)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        var l = logits.dim() == 5 && logits.shape[0] == 1 ? logits[0] : logits;
        if (l.dim() != 4)
            throw new ArgumentException($"Logits must be [1, C, Z, Y, X] or [C, Z, Y, X], got [{string.Join(", ", logits.shape)}].");
        if (l.shape[0] > byte.MaxValue + 1)
            throw new ArgumentException($"Logits have {l.shape[0]} classes; a uint8 label map holds at most 256.");
        return VolumeTensors.ToLabelVolume(l.argmax(0), image);
    }

    public static Volume Write(Tensor logits, Volume image, string path)
    {
        var labels = ToLabelVolume(logits, image);
        NiftiWriter.Write(labels, path);
        return labels;
    }
}
