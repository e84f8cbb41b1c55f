using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Membership;

/// <summary>A lab member as its PI sees them: account id, e-mail, lab role, and whether the account was removed (locked).</summary>
public sealed record LabMember(string Id, string Email, string Role, bool Removed);

/// <summary>A lab as the site administrator sees it: id, its PIs' e-mails, accounts in it.</summary>
public sealed record LabSummary(string LabId, IReadOnlyList<string> PIs, int Accounts);

/// <summary>What a change answered: HTTP status (204 done; 400, 403, 404, 409 refused) and why.</summary>
public sealed record LabChange(int Status, string? Problem = null)
{
    public bool Done => Status == StatusCodes.Status204NoContent;

    public static readonly LabChange Ok = new(StatusCodes.Status204NoContent);
}

/// <summary>
/// The lab's people, for the /api/lab endpoints and the Lab pages alike: members with their roles, role changes and
/// removal by the lab's PI, invitations (the site administrator's into any lab), and the site's labs. A role change or
/// removal renews the account's security stamp, so it acts on the member's next request. Each operation uses its own
/// scope (a page's circuit lives long; Identity's store must not).
/// </summary>
public sealed class LabMembers(IServiceScopeFactory scopes, IDbContextFactory<MedSegDbContext> dbFactory, LabInvitations invitations, AuditLog audit)
{
    /// <summary>The accounts of <paramref name="by"/>'s lab with their lab role, by e-mail.</summary>
    public async Task<List<LabMember>> ListAsync(PortalUser by, CancellationToken ct = default)
    {
        var lab = by.LabId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => u.LabId == lab).OrderBy(u => u.Email).ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var farFuture = DateTimeOffset.UtcNow.AddYears(50);
        return [.. users.Select(u => new LabMember(u.Id, u.Email ?? "", LabRole(roles.Where(r => r.UserId == u.Id).Select(r => r.Name!)), u.LockoutEnd > farFuture))];
    }

    /// <summary>Every lab of the site (accounts' labs and claimed labs), for the site administrator.</summary>
    public async Task<List<LabSummary>> LabsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Users.AsNoTracking().GroupBy(u => u.LabId).Select(g => new { Lab = g.Key, Count = g.Count() }).ToListAsync(ct);
        var pis = await (from u in db.Users join ur in db.UserRoles on u.Id equals ur.UserId join r in db.Roles on ur.RoleId equals r.Id
                         where r.Name == Roles.PI select new { u.LabId, u.Email }).ToListAsync(ct);
        var labs = accounts.Select(a => a.Lab).Union(await db.LabAdmins.Select(a => a.LabId).ToListAsync(ct)).Order(StringComparer.Ordinal);
        return [.. labs.Select(l => new LabSummary(l, [.. pis.Where(p => p.LabId == l).Select(p => p.Email ?? "").Order()],
            accounts.FirstOrDefault(a => a.Lab == l)?.Count ?? 0))];
    }

    /// <summary>Invites (<see cref="LabInvitations.Problems"/>); the link under <paramref name="baseUri"/>, or the refusal.</summary>
    public async Task<(string? Link, LabInvitationInfo? Info, LabChange Outcome, IReadOnlyList<string> Problems)> InviteAsync(
        PortalUser by, LabInvitation invitation, string baseUri, CancellationToken ct = default)
    {
        if (!by.IsPI && !by.IsAdmin) return (null, null, new(StatusCodes.Status403Forbidden, "Only a lab's PI or the site administrator may invite."), []);
        var problems = LabInvitations.Problems(by, invitation);
        if (problems.Count > 0)
            return problems.Any(p => p.Contains("only the PI", StringComparison.Ordinal))
                ? (null, null, new(StatusCodes.Status403Forbidden, problems[0]), problems)
                : (null, null, new(StatusCodes.Status400BadRequest, problems[0]), problems);
        var (token, info) = await invitations.CreateAsync(by, invitation, ct);
        audit.Record(by, "invite", $"{info.Email} as {info.Role} of lab {info.LabId} (invitation {info.Id})");
        return ($"{baseUri.TrimEnd('/')}/Account/Register?invite={Uri.EscapeDataString(token)}", info, LabChange.Ok, []);
    }

    /// <summary>Revokes an invitation of the lab (any lab for the site administrator).</summary>
    public async Task<LabChange> RevokeInvitationAsync(PortalUser by, string id, CancellationToken ct = default)
    {
        if (!await invitations.RevokeAsync(by, id, ct)) return new(StatusCodes.Status404NotFound, $"No invitation {id} of your lab.");
        audit.Record(by, "invite.revoke", $"invitation {id}");
        return LabChange.Ok;
    }

    public async Task<LabChange> SetRoleAsync(PortalUser by, string id, string role, CancellationToken ct = default)
    {
        if (!Roles.LabRoles.Contains(role)) return new(StatusCodes.Status400BadRequest, $"Role: one of {string.Join(", ", Roles.LabRoles)}, got '{role}'.");
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null || !Manages(by, user)) return new(StatusCodes.Status404NotFound, $"No member {id} in your lab.");
        if (user.Id == by.Id) return new(StatusCodes.Status409Conflict, "You cannot change your own role; another PI or the site administrator can.");
        await users.RemoveFromRolesAsync(user, [.. (await users.GetRolesAsync(user)).Where(r => Roles.LabRoles.Contains(r))]);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(by, "role.change", $"{user.Email} is now {role}");
        return LabChange.Ok;
    }

    public async Task<LabChange> RemoveAsync(PortalUser by, string id, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null || !Manages(by, user)) return new(StatusCodes.Status404NotFound, $"No member {id} in your lab.");
        if (user.Id == by.Id) return new(StatusCodes.Status409Conflict, "You cannot remove yourself.");
        // Locked rather than deleted: their runs and datasets keep an owner; the PI still manages them.
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(by, "member.remove", $"{user.Email}");
        return LabChange.Ok;
    }

    /// <summary>A lab's PI manages its members (the site administrator is PI of the first lab; other labs have their own PIs).</summary>
    private static bool Manages(PortalUser by, ApplicationUser user) => by.IsPI && user.LabId == by.LabId;

    private static string LabRole(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return Roles.LabRoles.FirstOrDefault(list.Contains) ?? "";
    }
}
