using MedSeg.Core.IO;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Training.Data;

/// <summary>
/// Unlabelled samples from a plain folder of NIfTI images (<see cref="NiftiImageFolder"/>: recursively, label folders
/// skipped), for the self-supervised methods, which read images only: each sample's label is an empty (all background)
/// volume. Volumes are read when a batch needs them.
/// </summary>
public sealed class NiftiFolderSource : IVolumeSampleSource
{
    private readonly string _root;
    private readonly string[] _files;

    public NiftiFolderSource(string folder, int maxSamples)
    {
        _root = Path.GetFullPath(folder);
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"Folder '{_root}' does not exist.");
        var files = NiftiImageFolder.List(_root);
        if (files.Length == 0) throw new InvalidDataException($"Folder '{Path.GetFileName(_root)}' holds no NIfTI images (.nii or .nii.gz).");
        _files = files.Length > maxSamples ? files[..maxSamples] : files;
    }

    public int Count => _files.Length;
    public int ClassCount => 1;
    // Folder name only: the description goes to the run log, which every lab member sees.
    public string Description => $"folder '{Path.GetFileName(_root)}' ({_files.Length} unlabelled images)";

    public LabeledVolume Load(int index)
    {
        var image = NiftiReader.Read(Path.Combine(_root, _files[index]));
        var empty = new Volume(image.SizeX, image.SizeY, image.SizeZ, new byte[image.VoxelCount], image.Spacing);
        return new LabeledVolume(image, empty, _files[index]);
    }
}
