namespace MedSeg.Data.Entities;

/// <summary>Role names. The first account registered becomes <see cref="PI"/>; later ones <see cref="Member"/>.</summary>
public static class Roles
{
    public const string PI = "PI";
    public const string Member = "Member";
}
