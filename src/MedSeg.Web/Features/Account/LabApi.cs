using System.Security.Claims;
using MedSeg.Web.Features.Membership;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// The lab's people under /api/lab (its PI; the site administrator for invitations into any lab), through
/// <see cref="LabMembers"/>: list members with their roles, invite by link (e-mail, role, expiry; the administrator may
/// name a new lab, which is how a lab starts), list and revoke invitations, change a member's role, remove a member (the
/// account is locked and its sessions end). The Lab pages do the same through the same service.
/// </summary>
public static class LabApi
{
    public sealed record InvitationBody(string Email, string Role, string? Lab);

    public sealed record InvitationLink(string Link, DateTimeOffset Expires, string Lab, string Role, string Id);

    public sealed record RoleBody(string Role);

    public static IEndpointRouteBuilder MapLabApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/lab").RequireAuthorization();
        group.MapGet("/members", async (ClaimsPrincipal user, LabMembers members, CancellationToken ct) =>
            Results.Ok(await members.ListAsync(PortalUser.From(user), ct))).RequireAuthorization(Policies.LabPI);
        group.MapPost("/invitations", InviteAsync);
        group.MapGet("/invitations", async (ClaimsPrincipal user, LabInvitations invitations, CancellationToken ct) =>
            Results.Ok(await invitations.ListAsync(PortalUser.From(user), ct))).RequireAuthorization(p => p.RequireRole(MedSeg.Data.Entities.Roles.PI, MedSeg.Data.Entities.Roles.Admin));
        group.MapDelete("/invitations/{id}", async (string id, ClaimsPrincipal user, LabMembers members, CancellationToken ct) =>
            Answer(await members.RevokeInvitationAsync(PortalUser.From(user), id, ct))).RequireAuthorization(p => p.RequireRole(MedSeg.Data.Entities.Roles.PI, MedSeg.Data.Entities.Roles.Admin));
        group.MapPut("/members/{id}/role", async (string id, RoleBody body, ClaimsPrincipal user, LabMembers members, CancellationToken ct) =>
            Answer(await members.SetRoleAsync(PortalUser.From(user), id, body.Role ?? "", ct))).RequireAuthorization(Policies.LabPI);
        group.MapDelete("/members/{id}", async (string id, ClaimsPrincipal user, LabMembers members, CancellationToken ct) =>
            Answer(await members.RemoveAsync(PortalUser.From(user), id, ct))).RequireAuthorization(Policies.LabPI);
        return endpoints;
    }

    private static async Task<IResult> InviteAsync(InvitationBody body, HttpContext http, LabMembers members, CancellationToken ct)
    {
        var by = PortalUser.From(http.User);
        var invitation = new LabInvitation(body.Email?.Trim() ?? "", string.IsNullOrWhiteSpace(body.Lab) ? by.LabId : body.Lab.Trim(), body.Role ?? "");
        var (link, info, outcome, problems) = await members.InviteAsync(by, invitation, $"{http.Request.Scheme}://{http.Request.Host}", ct);
        if (outcome.Status == StatusCodes.Status400BadRequest)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["invitation"] = [.. problems] });
        if (!outcome.Done) return Answer(outcome);
        return Results.Ok(new InvitationLink(link!, new DateTimeOffset(info!.ExpiresAt, TimeSpan.Zero), info.LabId, info.Role, info.Id));
    }

    private static IResult Answer(LabChange change) => change.Status switch
    {
        StatusCodes.Status204NoContent => Results.NoContent(),
        StatusCodes.Status400BadRequest => Results.ValidationProblem(new Dictionary<string, string[]> { ["member"] = [change.Problem ?? ""] }),
        StatusCodes.Status403Forbidden => ApiProblems.Forbidden(change.Problem ?? ""),
        StatusCodes.Status404NotFound => ApiProblems.NotFound(change.Problem ?? ""),
        _ => ApiProblems.Conflict(change.Problem ?? ""),
    };
}
