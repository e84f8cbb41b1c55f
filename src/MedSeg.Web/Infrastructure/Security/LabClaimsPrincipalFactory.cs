using System.Security.Claims;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>Adds the user's lab id to the sign-in cookie so every request knows which lab's rows it may see.</summary>
public sealed class LabClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalUser.LabClaim, user.LabId));
        return identity;
    }
}
