using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// The MSD-style dataset.json for a phantom dataset (plus nnU-Net v2's channel_names / file_ending), with
/// relative "./imagesTr/…" paths and "SYNTHETIC" in its name and description so nobody mistakes it for patient data.
/// </summary>
internal static class PhantomDatasetJson
{
    public static string Build(AbdomenPhantomSpec spec, ulong seed, int trainCount, int testCount)
    {
        var labels = new JsonObject();
        foreach (var (id, name) in AbdomenPhantomLabels.All) labels[id.ToString()] = name;
        var training = new JsonArray();
        for (int i = 0; i < trainCount; i++)
            training.Add(new JsonObject
            {
                ["image"] = "./" + PhantomDatasetLayout.TrainImage(i),
                ["label"] = "./" + PhantomDatasetLayout.TrainLabel(i),
            });
        var test = new JsonArray();
        for (int i = trainCount; i < trainCount + testCount; i++) test.Add("./" + PhantomDatasetLayout.TestImage(i));
        var s = spec.Size;
        var root = new JsonObject
        {
            ["name"] = "SYNTHETIC-AbdomenPhantom",
            ["description"] = $"SYNTHETIC abdominal CT phantom (not patient data): {s[0]}×{s[1]}×{s[2]} voxels, spacing " +
                              $"{string.Join("×", spec.Spacing.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))} mm, " +
                              "int16 HU images, labels liver/spleen/kidneys/aorta; parameters in spec.json, per-case draws in manifest.jsonl",
            ["reference"] = "MedSeg SYNTHETIC phantom generator",
            ["licence"] = "CC0-1.0",
            ["release"] = "1.0",
            ["tensorImageSize"] = "3D",
            ["modality"] = new JsonObject { ["0"] = "CT" },
            ["channel_names"] = new JsonObject { ["0"] = "CT" },
            ["labels"] = labels,
            ["numTraining"] = trainCount,
            ["numTest"] = testCount,
            ["file_ending"] = ".nii.gz",
            ["seed"] = seed,
            ["training"] = training,
            ["test"] = test,
        };
        return root.ToJsonString(new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
