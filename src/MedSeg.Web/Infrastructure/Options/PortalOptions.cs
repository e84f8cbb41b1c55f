namespace MedSeg.Web.Infrastructure.Options;

/// <summary>How the portal prepares its own pages, bound from the <c>Portal</c> section.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>The longest <see cref="WarmUpDelay"/> accepted: a warm-up later than that is no longer for the first visits.</summary>
    public static readonly TimeSpan MaxWarmUpDelay = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Render the list pages, the dashboard and a run page once, in the process, after the first signed-in page view
    /// since start (<see cref="PageWarmUp"/>), so each page's first visit does not pay for compiling its components and
    /// planning its queries. Default on.
    /// </summary>
    public bool WarmUpPages { get; set; } = true;

    /// <summary>Wait after that first view before warming (its browser is still starting the page's circuit). Default 1 s.</summary>
    public TimeSpan WarmUpDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What is out of range, one message per setting naming the value and the limit; empty when all is well.</summary>
    public IReadOnlyList<string> Problems() =>
        WarmUpDelay < TimeSpan.Zero || WarmUpDelay > MaxWarmUpDelay
            ? [$"Portal:WarmUpDelay must be between 00:00:00 and {MaxWarmUpDelay:c}, got {WarmUpDelay:c}."]
            : [];
}
