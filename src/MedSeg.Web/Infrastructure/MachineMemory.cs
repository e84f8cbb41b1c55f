using System.Globalization;

namespace MedSeg.Web.Infrastructure;

/// <summary>
/// Memory the machine can give a new run now: Linux's MemAvailable (free + reclaimable caches); null elsewhere. A service
/// (not a static) so component tests can fix the figure.
/// </summary>
public class MachineMemory
{
    public virtual long? AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Replace("kB", "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                    return kb * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
