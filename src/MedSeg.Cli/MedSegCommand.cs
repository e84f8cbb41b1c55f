using System.CommandLine;
using MedSeg.Cli.Commands;

namespace MedSeg.Cli;

/// <summary>Root of the `medseg` command tree; each area adds its subcommands here.</summary>
public static class MedSegCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("MedSeg: synthetic 3D datasets, pretraining and evaluation for medical segmentation.");
        root.Add(VolumeCommands.Create());
        root.Add(ModelCommands.Create());
        root.Add(PredictCommand.Create());
        root.Add(GenerateCommands.Create());
        root.Add(BenchCommands.Create());
        root.Add(EvaluateCommand.Create());
        root.Add(ImportCommands.Create());
        root.Add(PreprocessCommand.Create());
        root.Add(TrainCommands.Create());
        root.Add(FineTuneCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(PortalCommands.Create());
        root.Add(BenchmarkCommand.Create());
        root.Add(WorkerCommands.Create());
        return root;
    }
}
