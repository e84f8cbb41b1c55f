using System.Globalization;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>File names of the phantom dataset (MSD / nnU-Net layout): case i → phantom_iii_0000.nii.gz + phantom_iii.nii.gz.</summary>
public static class PhantomDatasetLayout
{
    public const string ImagesTr = "imagesTr";
    public const string LabelsTr = "labelsTr";
    public const string ImagesTs = "imagesTs";

    public static string CaseId(int index) => "phantom_" + index.ToString("000", CultureInfo.InvariantCulture);
    public static string TrainImage(int index) => $"{ImagesTr}/{CaseId(index)}_0000.nii.gz";
    public static string TrainLabel(int index) => $"{LabelsTr}/{CaseId(index)}.nii.gz";
    public static string TestImage(int index) => $"{ImagesTs}/{CaseId(index)}_0000.nii.gz";
}
