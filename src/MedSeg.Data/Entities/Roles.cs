namespace MedSeg.Data.Entities;

/// <summary>
/// Role names. Each account belongs to one lab (<see cref="ApplicationUser.LabId"/>) with one lab role: <see cref="PI"/>
/// (manages the lab's members and every lab resource), <see cref="Member"/> (creates and manages their own) or
/// <see cref="Viewer"/> (reads only). <see cref="Admin"/> is the site administrator (also PI of the first lab): creates
/// labs by inviting their PIs, and sees the whole site's audit log.
/// </summary>
public static class Roles
{
    public const string PI = "PI";
    public const string Member = "Member";
    public const string Viewer = "Viewer";
    public const string Admin = "Admin";

    /// <summary>The roles an account can hold inside a lab.</summary>
    public static readonly string[] LabRoles = [PI, Member, Viewer];

    public static readonly string[] All = [PI, Member, Viewer, Admin];
}
