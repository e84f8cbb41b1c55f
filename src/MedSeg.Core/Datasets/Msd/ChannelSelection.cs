using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using MedSeg.Core.Nifti;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Importing one channel of 4-D multi-channel images (<see cref="DatasetValidationOptions.ImageChannel"/>): each image
/// is written as the 3-D volume of that channel (same file name, geometry kept), and dataset.json records the choice
/// under "medsegImport" (imageChannel, the source "modality") with "modality" narrowed to the chosen channel.
/// </summary>
internal static class ChannelSelection
{
    public static void WriteImage(string from, string to, int channel) =>
        NiftiWriter.Write(NiftiReader.ReadChannel(from, channel), to);

    public static void WriteDatasetJson(string from, string to, int channel)
    {
        var json = JsonNode.Parse(File.ReadAllText(from), documentOptions: new() { AllowTrailingCommas = true })!.AsObject();
        var modality = json["modality"] as JsonObject;
        var record = new JsonObject { ["imageChannel"] = channel };
        if (modality is not null)
        {
            record["sourceModality"] = modality.DeepClone();
            if (modality[channel.ToString(System.Globalization.CultureInfo.InvariantCulture)] is { } name)
                json["modality"] = new JsonObject { ["0"] = name.DeepClone() };
        }
        json["medsegImport"] = record;
        File.WriteAllText(to, json.ToJsonString(new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
