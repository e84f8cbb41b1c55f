using System.Security.Claims;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// The lab's people under /api/lab (its PI; the site administrator for any lab): list members with their roles, invite
/// by link (e-mail, role, expiry; the administrator may name a new lab, which is how a lab starts), change a member's
/// role, remove a member (the account is locked and its sessions end). A role change or removal renews the account's
/// security stamp, so it acts on the member's next request.
/// </summary>
public static class LabApi
{
    public sealed record Member(string Id, string Email, string Role, bool Removed);

    public sealed record InvitationBody(string Email, string Role, string? Lab);

    public sealed record InvitationLink(string Link, DateTimeOffset Expires, string Lab, string Role);

    public sealed record RoleBody(string Role);

    public static IEndpointRouteBuilder MapLabApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/lab").RequireAuthorization();
        group.MapGet("/members", ListAsync).RequireAuthorization(Policies.LabPI);
        group.MapPost("/invitations", Invite);
        group.MapPut("/members/{id}/role", SetRoleAsync).RequireAuthorization(Policies.LabPI);
        group.MapDelete("/members/{id}", RemoveAsync).RequireAuthorization(Policies.LabPI);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, UserManager<ApplicationUser> users, CancellationToken ct)
    {
        var lab = PortalUser.From(principal).LabId;
        var list = new List<Member>();
        foreach (var u in await users.Users.AsNoTracking().Where(u => u.LabId == lab).OrderBy(u => u.Email).ToListAsync(ct))
            list.Add(new Member(u.Id, u.Email ?? "", LabRole(await users.GetRolesAsync(u)), u.LockoutEnd > DateTimeOffset.UtcNow.AddYears(50)));
        return Results.Ok(list);
    }

    private static IResult Invite(InvitationBody body, HttpContext http, LabInvitations invitations,
        Microsoft.Extensions.Options.IOptions<Infrastructure.Options.AccountsOptions> accounts)
    {
        var by = PortalUser.From(http.User);
        var invitation = new LabInvitation(body.Email?.Trim() ?? "", string.IsNullOrWhiteSpace(body.Lab) ? by.LabId : body.Lab.Trim(), body.Role ?? "");
        if (!by.IsPI && !by.IsAdmin) return ApiProblems.Forbidden("Only a lab's PI or the site administrator may invite.");
        var problems = LabInvitations.Problems(by, invitation);
        if (problems.Count > 0)
            return problems.Any(p => p.Contains("only the PI", StringComparison.Ordinal))
                ? ApiProblems.Forbidden(problems[0])
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["invitation"] = [.. problems] });
        var token = invitations.Create(invitation);
        http.RequestServices.GetRequiredService<AuditLog>().Record(by, "invite", $"{invitation.Email} as {invitation.Role} of lab {invitation.LabId}");
        var link = $"{http.Request.Scheme}://{http.Request.Host}/Account/Register?invite={Uri.EscapeDataString(token)}";
        return Results.Ok(new InvitationLink(link, DateTimeOffset.UtcNow + accounts.Value.InvitationLifetime, invitation.LabId, invitation.Role));
    }

    private static async Task<IResult> SetRoleAsync(string id, RoleBody body, ClaimsPrincipal principal, UserManager<ApplicationUser> users,
        AuditLog audit)
    {
        var by = PortalUser.From(principal);
        if (!Roles.LabRoles.Contains(body.Role))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"Role: one of {string.Join(", ", Roles.LabRoles)}, got '{body.Role}'."] });
        var user = await users.FindByIdAsync(id);
        if (user is null || user.LabId != by.LabId) return ApiProblems.NotFound($"No member {id} in your lab.");
        if (user.Id == by.Id) return ApiProblems.Conflict("You cannot change your own role; another PI or the site administrator can.");
        await users.RemoveFromRolesAsync(user, [.. (await users.GetRolesAsync(user)).Where(r => Roles.LabRoles.Contains(r))]);
        await users.AddToRoleAsync(user, body.Role);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(by, "role.change", $"{user.Email} is now {body.Role}");
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveAsync(string id, ClaimsPrincipal principal, UserManager<ApplicationUser> users, AuditLog audit)
    {
        var by = PortalUser.From(principal);
        var user = await users.FindByIdAsync(id);
        if (user is null || user.LabId != by.LabId) return ApiProblems.NotFound($"No member {id} in your lab.");
        if (user.Id == by.Id) return ApiProblems.Conflict("You cannot remove yourself.");
        // Locked rather than deleted: their runs and datasets keep an owner; the PI still manages them.
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(by, "member.remove", $"{user.Email}");
        return Results.NoContent();
    }

    private static string LabRole(IList<string> roles) =>
        roles.Contains(Roles.PI) ? Roles.PI : roles.Contains(Roles.Member) ? Roles.Member : roles.Contains(Roles.Viewer) ? Roles.Viewer : "";
}
