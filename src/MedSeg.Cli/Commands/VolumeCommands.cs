using System.CommandLine;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg volume …`: look at NIfTI volumes (header, value statistics, slice pictures) and benchmark NIfTI I/O.</summary>
public static class VolumeCommands
{
    public static Command Create()
    {
        var volume = new Command("volume", "Inspect NIfTI-1 volumes (.nii, .nii.gz).");
        volume.Add(VolumeInfoCommand.Create());
        volume.Add(VolumeSliceCommand.Create());
        volume.Add(VolumeBenchCommand.Create());
        return volume;
    }
}
