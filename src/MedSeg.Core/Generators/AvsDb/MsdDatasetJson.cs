using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Builds the Medical Segmentation Decathlon style dataset.json (also carrying nnU-Net v2's
/// channel_names / file_ending): relative "./imagesTr/…" paths, labels "0": "background", "1": "&lt;xy&gt;-&lt;z&gt;".
/// </summary>
internal static class MsdDatasetJson
{
    public static string Build(AvsDbSpec spec, ulong seed, IReadOnlyList<int> indices)
    {
        var labels = new JsonObject { ["0"] = "background" };
        for (int c = 1; c <= spec.ClassCount; c++) labels[c.ToString()] = spec.ClassName(c);
        var training = new JsonArray();
        foreach (int i in indices)
            training.Add(new JsonObject
            {
                ["image"] = "./" + AvsDbLayout.RelativeImage(i),
                ["label"] = "./" + AvsDbLayout.RelativeLabel(i),
            });
        var root = new JsonObject
        {
            ["name"] = "AVS-DB",
            ["description"] = $"Auto-generated volumetric shapes ({spec.Xy.VertexCounts.Length} xy × {spec.ZClasses.Length} z classes, {spec.VolumeSize}³, {spec.Image.Mode} images); parameters in spec.json, per-shape records in manifest.jsonl",
            ["reference"] = "Tadokoro, Yamada, Kataoka. Pre-training Auto-generated Volumetric Shapes for 3D Medical Image Segmentation. CVPRW 2023",
            ["licence"] = "CC-BY-4.0",
            ["release"] = "1.0",
            ["tensorImageSize"] = "3D",
            ["modality"] = new JsonObject { ["0"] = "synthetic" },
            ["channel_names"] = new JsonObject { ["0"] = "synthetic" },
            ["labels"] = labels,
            ["numTraining"] = indices.Count,
            ["numTest"] = 0,
            ["file_ending"] = ".nii.gz",
            ["seed"] = seed,
            ["training"] = training,
            ["test"] = new JsonArray(),
        };
        // Relaxed escaping keeps "×" and "³" readable in the description.
        return root.ToJsonString(new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
