namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// What earlier steps of a journey leave for later ones (a class fixture). A later step whose prerequisite step
/// failed stops at <see cref="Require{T}"/> with a message naming that step, not with a confusing error.
/// </summary>
public sealed class JourneyState
{
    public string? PiEmail { get; set; }
    /// <summary>The PI's signed-in browser state (cookies), from Playwright's StorageStateAsync.</summary>
    public string? PiStorageState { get; set; }
    public int? DatasetId { get; set; }
    public string? DatasetName { get; set; }

    public static T Require<T>(T? value, string step) where T : class =>
        value ?? throw new InvalidOperationException($"Prerequisite missing: {step} did not complete.");

    public static T Require<T>(T? value, string step) where T : struct =>
        value ?? throw new InvalidOperationException($"Prerequisite missing: {step} did not complete.");
}
