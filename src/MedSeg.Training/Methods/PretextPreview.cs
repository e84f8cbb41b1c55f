using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Data;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods.Lwi;
using static TorchSharp.torch;

namespace MedSeg.Training.Methods;

/// <summary>
/// The files of a pretext preview (<see cref="IPretextPreview"/>) and the code both methods share: the sample, its target
/// and label map as NIfTI, the caption + legend as JSON, and a reconstruction run on the CPU without gradients.
/// </summary>
public static class PretextPreview
{
    public const string Input = "input.nii.gz", Target = "target.nii.gz", Labels = "labels.nii.gz", Caption = "caption.json";

    /// <summary>Item <paramref name="item"/> of a [B, 1, Z, Y, X] batch (input and target) with its label map and caption.</summary>
    public static void Write(string folder, CropSize crop, float[] inputs, float[] targets, int item, byte[] labels, PretextPreviewInfo info)
    {
        Directory.CreateDirectory(folder);
        int n = (int)crop.Voxels;
        NiftiWriter.Write(new Volume(crop.X, crop.Y, crop.Z, inputs.AsSpan(item * n, n).ToArray()), Path.Combine(folder, Input));
        NiftiWriter.Write(new Volume(crop.X, crop.Y, crop.Z, targets.AsSpan(item * n, n).ToArray()), Path.Combine(folder, Target));
        NiftiWriter.Write(new Volume(crop.X, crop.Y, crop.Z, labels), Path.Combine(folder, Labels));
        File.WriteAllText(Path.Combine(folder, Caption), JsonSerializer.Serialize(info, LwiOptions.Json));
    }

    public static PretextPreviewInfo ReadInfo(string folder) =>
        JsonSerializer.Deserialize<PretextPreviewInfo>(File.ReadAllText(Path.Combine(folder, Caption)), LwiOptions.Json)
        ?? throw new InvalidDataException($"{Caption}: null.");

    /// <summary>
    /// Reads the folder's input, runs <paramref name="reconstruct"/> on it ([1, 1, …] in <paramref name="order"/>) with
    /// <paramref name="modules"/> in eval mode and no gradients (modes restored), writes the result as <paramref name="fileName"/>.
    /// </summary>
    public static string WriteReconstruction(Func<Tensor, Tensor> reconstruct, string folder, AxisOrder order, string fileName,
        params nn.Module[] modules)
    {
        var volume = NiftiReader.Read(Path.Combine(folder, Input));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var modes = modules.Select(m => m.training).ToArray();
        foreach (var m in modules) m.eval();
        try
        {
            var device = modules.SelectMany(m => m.parameters()).FirstOrDefault()?.device ?? CPU;
            var x = TensorLayout.ImageTensor(volume, order, device);
            var y = TensorLayout.ToBufferOrder(reconstruct(x), order).cpu().contiguous();
            var path = Path.Combine(folder, fileName);
            // Written beside, then moved: a reader never sees half a file.
            var temp = path + ".tmp.nii.gz";
            NiftiWriter.Write(new Volume(volume.SizeX, volume.SizeY, volume.SizeZ, y.data<float>().ToArray(), volume.Spacing), temp);
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            for (int i = 0; i < modules.Length; i++) modules[i].train(modes[i]);
        }
    }
}
