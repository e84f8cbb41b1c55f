using System.CommandLine;

namespace MedSeg.Cli;

/// <summary>Root of the `medseg` command tree; each area adds its subcommands here.</summary>
public static class MedSegCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("MedSeg: synthetic 3D datasets, pretraining and evaluation for medical segmentation.");
        root.Add(Commands.TrainCommands.Create());
        return root;
    }
}
