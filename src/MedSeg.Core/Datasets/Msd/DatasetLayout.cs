namespace MedSeg.Core.Datasets.Msd;

/// <summary>Which dataset.json convention a dataset folder follows.</summary>
public enum DatasetLayout
{
    /// <summary>Medical Segmentation Decathlon: <c>training</c> [{image, label}], <c>labels</c> id → name, <c>numTraining</c>.</summary>
    Msd,

    /// <summary>nnU-Net v2: <c>channel_names</c>, <c>labels</c> name → id, <c>file_ending</c>; images <c>imagesTr/&lt;case&gt;_0000&lt;ending&gt;</c>.</summary>
    NnUnetV2,
}
