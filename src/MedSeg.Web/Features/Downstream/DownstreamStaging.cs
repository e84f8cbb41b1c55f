using System.Diagnostics;
using System.Text.RegularExpressions;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// Hidden staging files of uploads and imports under <c>downstream/</c> carry the machine and process that made them
/// (<c>.upload-HOST-PID-GUID.zip</c>, <c>.NAME.import-HOST-PID-GUID/</c>). A process killed mid-upload (kill -9, power
/// loss) cannot delete its own; at start-up those of dead processes on this machine are removed, and any older than a
/// day (another machine's, sharing the data root), so staging never accumulates.
/// </summary>
public sealed partial class DownstreamStaging(DataPaths paths, ILogger<DownstreamStaging> logger)
{
    /// <summary>The tag every staging name carries: this machine and process.</summary>
    public static string OwnerTag => $"{Environment.MachineName}-{Environment.ProcessId}";

    [GeneratedRegex(@"\A\.(?:upload|.+\.import)-(?<host>.+)-(?<pid>[0-9]+)-[0-9a-f]{32}")]
    private static partial Regex StagingName();

    /// <summary>Deletes abandoned staging; returns how many entries went.</summary>
    public int CleanUp()
    {
        var folder = Path.Combine(paths.DataRoot, DownstreamDatasets.Folder);
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, ".*"))
        {
            var name = Path.GetFileName(path);
            var match = StagingName().Match(name);
            if (!match.Success || !Abandoned(path, match.Groups["host"].Value, int.Parse(match.Groups["pid"].Value))) continue;
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else File.Delete(path);
                removed++;
                logger.LogInformation("Removed abandoned staging {Name} under {Folder}", name, folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not remove abandoned staging {Path}", path);
            }
        }
        return removed;
    }

    private static bool Abandoned(string path, string host, int pid)
    {
        var age = DateTime.UtcNow - (Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path));
        if (age > TimeSpan.FromDays(1)) return true;
        if (!string.Equals(host, Environment.MachineName, StringComparison.Ordinal) || pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }
}
