using System.CommandLine;
using System.Globalization;
using MedSeg.Core.Datasets.Msd;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg import …`: bring external datasets into a MedSeg dataset folder.</summary>
public static class ImportCommands
{
    public static Command Create()
    {
        var import = new Command("import", "Import external datasets (validated first; nothing is written on any problem).");
        import.Add(CreateMsd());
        return import;
    }

    /// <summary>`medseg import msd DIR|ARCHIVE (.zip/.tar/.tar.gz/.tgz) --out TARGET [--seed S] [--val 0.2] [--test 0.0] [--channel N]`.</summary>
    private static Command CreateMsd()
    {
        var source = new Argument<string>("source") { Description = "MSD or nnU-Net v2 dataset folder, or a .zip, .tar, .tar.gz or .tgz of one." };
        var output = new Option<string>("--out") { Description = "New folder to create (must not exist).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/val/test shuffle.", DefaultValueFactory = _ => 0 };
        var val = new Option<double>("--val") { Description = "Fraction of cases for validation.", DefaultValueFactory = _ => 0.2 };
        var test = new Option<double>("--test") { Description = "Fraction of labelled cases held out for testing.", DefaultValueFactory = _ => 0.0 };
        var channel = new Option<int?>("--channel") { Description = "Import channel N of 4-D multi-channel images (e.g. 2 = T1gd in MSD BrainTumour); recorded in dataset.json. Without it 4-D images are refused." };
        var d = ImportLimits.Default;
        var maxExpanded = new Option<long>("--max-expanded-bytes") { Description = "Refuse an archive expanding past this many bytes.", DefaultValueFactory = _ => d.MaxExpandedBytes };
        var maxEntry = new Option<long>("--max-entry-bytes") { Description = "Refuse an archive entry expanding past this many bytes.", DefaultValueFactory = _ => d.MaxEntryBytes };
        var maxRatio = new Option<double>("--max-compression-ratio") { Description = "Refuse an archive expanding more than this many times its compressed size.", DefaultValueFactory = _ => d.MaxCompressionRatio };
        var maxVoxels = new Option<long>("--max-voxels") { Description = "Refuse a NIfTI volume declaring more voxels.", DefaultValueFactory = _ => d.MaxVoxels };
        var command = new Command("msd", "Validate and import a Medical Segmentation Decathlon / nnU-Net v2 dataset, writing split.json.")
        {
            source, output, seed, val, test, channel, maxExpanded, maxEntry, maxRatio, maxVoxels,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            var split = new SplitOptions
            {
                Seed = parseResult.GetValue(seed),
                ValidationFraction = parseResult.GetValue(val),
                TestFraction = parseResult.GetValue(test),
            };
            MsdImportResult result;
            try
            {
                result = MsdImporter.Import(parseResult.GetRequiredValue(source), parseResult.GetRequiredValue(output), split,
                    new DatasetValidationOptions
                    {
                        ImageChannel = parseResult.GetValue(channel),
                        Limits = new ImportLimits
                        {
                            MaxExpandedBytes = parseResult.GetValue(maxExpanded), MaxEntryBytes = parseResult.GetValue(maxEntry),
                            MaxCompressionRatio = parseResult.GetValue(maxRatio), MaxVoxels = parseResult.GetValue(maxVoxels),
                            SettingPrefix = "--",
                        },
                    });
            }
            catch (DatasetImportException e)
            {
                throw new UsageException(e.Message);
            }
            var s = result.Split;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imported {result.Report.Cases.Count} cases ({result.Report.Layout}, labels {{{string.Join(",", result.Report.LabelValues)}}}, {result.Report.TestImages.Count} test images) into {result.Target}"));
            if (parseResult.GetValue(channel) is int c)
                writer.WriteLine($"images: channel {c} of each image (recorded in dataset.json as medsegImport.imageChannel)");
            writer.WriteLine($"split.json: train {s.Train.Count}, val {s.Val.Count}, test {s.Test.Count} (seed {split.Seed})");
            return 0;
        }));
        return command;
    }
}
