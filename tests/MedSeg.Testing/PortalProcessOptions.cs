namespace MedSeg.Testing;

/// <summary>How <see cref="PortalProcess"/> starts the portal.</summary>
public sealed class PortalProcessOptions
{
    /// <summary>ASPNETCORE_ENVIRONMENT. Default Production, as the README's `dotnet run` without a launch profile.</summary>
    public string Environment { get; init; } = "Production";

    /// <summary>Longest wait for the login page to answer after a start. Default 90 s (a busy 2-core machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Extra configuration ("Generation:MaxVolumeCount" = "50"), passed as environment variables.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>
    /// Folder for the database, data root and HOME. Null (default): a fresh temporary folder, deleted on dispose.
    /// Given: used as is and kept, so a second process can start on the same database (a restart after a crash).
    /// </summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Leave a temporary work folder behind for inspection. Default false.</summary>
    public bool KeepWorkDirectory { get; init; }

    /// <summary>Pass the address as <c>ASPNETCORE_URLS</c> instead of <c>--urls</c> (how containers and services set it).</summary>
    public bool UrlsFromEnvironment { get; init; }
}
