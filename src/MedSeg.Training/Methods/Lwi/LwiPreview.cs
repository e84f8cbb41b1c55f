using System.Text.Json;
using MedSeg.Training.Layout;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// What the portal's viewer shows of an LWI run: one sample of the first batch as the network sees it
/// (<c>input.nii.gz</c>, shuffled + masked), what it must reconstruct (<c>target.nii.gz</c>, shuffled), a label map of the
/// depth slots (a frame per slice, label = original chunk + 1, so the legend reads the permutation), the permutation (<c>preview.json</c>)
/// and, from a checkpoint, the network's reconstruction. Written into <c>&lt;run&gt;/preview/</c>.
/// </summary>
public static class LwiPreview
{
    public const string Folder = "preview", Input = PretextPreview.Input, Target = PretextPreview.Target, Reconstruction = "reconstruction.nii.gz", Info = "preview.json";

    public sealed record PreviewInfo(int Chunks, long[] OriginalChunkAtSlot, int MaskedCubes, int Cubes, int MaskPatch, string Crop);

    public static PreviewInfo Write(LwiBatch batch, LwiShuffleMask transform, int item, string folder)
    {
        var c = batch.Crop;
        int cubes = transform.CubeCount(c.Z, c.Y, c.X);
        var order = batch.Order.AsSpan(item * batch.Chunks, batch.Chunks).ToArray();
        var info = new PreviewInfo(batch.Chunks, order, transform.MaskedCubeCount(cubes), cubes, transform.MaskPatch, c.ToString());
        // Depth (Z) slot s holds original chunk order[s]: a frame around each of its slices is labelled order[s] + 1, the
        // inside stays 0 so the image shows through (and no slice of the label map is one constant value).
        var labels = new byte[c.Voxels];
        int slices = c.Z / batch.Chunks, w = Math.Max(1, Math.Min(c.X, c.Y) / 8);
        for (int z = 0; z < c.Z; z++)
            for (int y = 0; y < c.Y; y++)
                for (int x = 0; x < c.X; x++)
                    if (x < w || y < w || x >= c.X - w || y >= c.Y - w) labels[((long)z * c.Y + y) * c.X + x] = (byte)(order[z / slices] + 1);
        var legend = Enumerable.Range(0, batch.Chunks).ToDictionary(s => (int)order[s] + 1, s => $"slot {s + 1} ← original chunk {order[s] + 1}");
        var caption = $"Depth cut into {batch.Chunks} chunks of {slices} slices, permuted: slots 1..{batch.Chunks} hold original chunks " +
            $"{string.Join(", ", order.Select(o => o + 1))}; {info.MaskedCubes} of {cubes} {transform.MaskPatch}³ cubes zeroed ({transform.MaskRatio:P0}).";
        PretextPreview.Write(folder, c, batch.Inputs, batch.Targets, item, labels, new PretextPreviewInfo(caption, legend));
        File.WriteAllText(Path.Combine(folder, Info), JsonSerializer.Serialize(info, LwiOptions.Json));
        return info;
    }

    /// <summary>Runs <paramref name="backbone"/> on the preview input and writes its output as the reconstruction.</summary>
    public static string WriteReconstruction(nn.Module<Tensor, Tensor> backbone, string folder, AxisOrder order, string fileName = Reconstruction) =>
        PretextPreview.WriteReconstruction(backbone.call, folder, order, fileName, backbone);
}
