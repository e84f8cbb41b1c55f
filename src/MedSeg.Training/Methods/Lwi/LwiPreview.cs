using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Layout;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods.Lwi;

/// <summary>
/// What the portal's viewer shows of an LWI run: one sample of the first batch as the network sees it
/// (<c>input.nii.gz</c>, shuffled + masked), what it must reconstruct (<c>target.nii.gz</c>, shuffled), the permutation
/// (<c>preview.json</c>) and, from a checkpoint, the network's reconstruction (<c>reconstruction.nii.gz</c>).
/// Written into <c>&lt;run&gt;/preview/</c>.
/// </summary>
public static class LwiPreview
{
    public const string Folder = "preview", Input = "input.nii.gz", Target = "target.nii.gz", Reconstruction = "reconstruction.nii.gz", Info = "preview.json";

    public sealed record PreviewInfo(int Chunks, long[] OriginalChunkAtSlot, int MaskedCubes, int Cubes, int MaskPatch, string Crop);

    public static PreviewInfo Write(LwiBatch batch, LwiShuffleMask transform, int item, string folder, double[]? spacing = null)
    {
        Directory.CreateDirectory(folder);
        var c = batch.Crop;
        int n = (int)c.Voxels;
        var input = batch.Inputs.AsSpan(item * n, n).ToArray();
        var target = batch.Targets.AsSpan(item * n, n).ToArray();
        NiftiWriter.Write(new Volume(c.X, c.Y, c.Z, input, spacing), Path.Combine(folder, Input));
        NiftiWriter.Write(new Volume(c.X, c.Y, c.Z, target, spacing), Path.Combine(folder, Target));
        int cubes = transform.CubeCount(c.Z, c.Y, c.X);
        var order = batch.Order.AsSpan(item * batch.Chunks, batch.Chunks).ToArray();
        var info = new PreviewInfo(batch.Chunks, order, transform.MaskedCubeCount(cubes), cubes, transform.MaskPatch, c.ToString());
        File.WriteAllText(Path.Combine(folder, Info), JsonSerializer.Serialize(info, LwiOptions.Json));
        return info;
    }

    /// <summary>Runs <paramref name="backbone"/> on the preview input and writes its output as the reconstruction.</summary>
    public static string WriteReconstruction(nn.Module<Tensor, Tensor> backbone, string folder, AxisOrder order)
    {
        var volume = NiftiReader.Read(Path.Combine(folder, Input));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool training = backbone.training;
        backbone.eval();
        try
        {
            var device = backbone.parameters().First().device;
            var x = TensorLayout.ImageTensor(volume, order, device);
            var y = TensorLayout.ToBufferOrder(backbone.call(x), order).cpu().contiguous();
            var data = y.data<float>().ToArray();
            var path = Path.Combine(folder, Reconstruction);
            NiftiWriter.Write(new Volume(volume.SizeX, volume.SizeY, volume.SizeZ, data, volume.Spacing), path);
            return path;
        }
        finally
        {
            if (training) backbone.train();
        }
    }
}
