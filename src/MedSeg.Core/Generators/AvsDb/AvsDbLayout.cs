namespace MedSeg.Core.Generators.AvsDb;

/// <summary>File names of an AVS-DB dataset folder (MSD / nnU-Net layout).</summary>
public sealed class AvsDbLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string ImagesDir => Path.Combine(Root, "imagesTr");
    public string LabelsDir => Path.Combine(Root, "labelsTr");
    public string DatasetJson => Path.Combine(Root, "dataset.json");
    public string SpecJson => Path.Combine(Root, "spec.json");
    public string GenerationJson => Path.Combine(Root, "generation.json");
    public string Manifest => Path.Combine(Root, "manifest.jsonl");
    /// <summary>Manifest lines of the volumes finished so far while a run is generating (see <see cref="PartialManifest"/>).</summary>
    public string PartialManifest => Path.Combine(Root, "manifest.partial.jsonl");

    public static string CaseId(int index) => $"avs_{index:D4}";

    /// <summary>Image path relative to the root, nnU-Net style with the channel suffix: imagesTr/avs_0000_0000.nii.gz.</summary>
    public static string RelativeImage(int index) => $"imagesTr/{CaseId(index)}_0000.nii.gz";
    public static string RelativeLabel(int index) => $"labelsTr/{CaseId(index)}.nii.gz";

    public string ImagePath(int index) => Path.Combine(Root, RelativeImage(index));
    public string LabelPath(int index) => Path.Combine(Root, RelativeLabel(index));

    /// <summary>A volume counts as present only when both its image and label exist under their final names.</summary>
    public bool IsComplete(int index) => File.Exists(ImagePath(index)) && File.Exists(LabelPath(index));
}
