namespace MedSeg.Web.E2E.Harness;

/// <summary>How <see cref="PortalProcess"/> starts the portal.</summary>
public sealed class PortalProcessOptions
{
    /// <summary>ASPNETCORE_ENVIRONMENT. Default Production, as the README's `dotnet run` without a launch profile.</summary>
    public string Environment { get; init; } = "Production";

    /// <summary>Longest wait for the login page to answer after a start. Default 90 s (a busy 2-core machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Extra configuration ("Generation:MaxVolumeCount" = "50"), passed as environment variables.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Leave the temporary database and data root behind for inspection. Default false.</summary>
    public bool KeepWorkDirectory { get; init; }
}
