using System.Globalization;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>File names of a Volume Fusion dataset (MSD / nnU-Net layout): sample i → volf_NNNN_0000.nii.gz + volf_NNNN.nii.gz.</summary>
public static class VolfDatasetLayout
{
    public const string ImagesTr = "imagesTr";
    public const string LabelsTr = "labelsTr";
    public const string Sources = "sources";
    public const string Manifest = "manifest.jsonl";
    public const string OptionsFile = "volf.json";

    public static string CaseId(int index) => "volf_" + index.ToString("0000", CultureInfo.InvariantCulture);
    public static string Image(int index) => $"{ImagesTr}/{CaseId(index)}_0000.nii.gz";
    public static string Label(int index) => $"{LabelsTr}/{CaseId(index)}.nii.gz";
    public static string BackgroundSource(int index) => $"{Sources}/{CaseId(index)}_bg.nii.gz";
    public static string ForegroundSource(int index) => $"{Sources}/{CaseId(index)}_fg.nii.gz";
}
