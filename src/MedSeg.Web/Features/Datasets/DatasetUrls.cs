namespace MedSeg.Web.Features.Datasets;

/// <summary>Addresses of <see cref="DatasetApi"/> that pages link to.</summary>
public static class DatasetUrls
{
    /// <summary>The viewer-friendly URL (path ends in .nii.gz) of a volume's image or label.</summary>
    public static string Volume(int datasetId, int index, bool image) =>
        $"api/datasets/{datasetId}/volumes/{index}/{(image ? "image" : "label")}.nii.gz";
}
