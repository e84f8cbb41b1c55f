using Microsoft.AspNetCore.Identity;

namespace MedSeg.Data.Entities;

/// <summary>A portal account (ASP.NET Core Identity). Roles: <see cref="Roles.PI"/> (lab admin) or <see cref="Roles.Member"/>.</summary>
public class ApplicationUser : IdentityUser
{
    /// <summary>Lab the account belongs to; every lab-scoped row carries the same id. Defaults to <see cref="Labs.Default"/>.</summary>
    public string LabId { get; set; } = Labs.Default;
}
