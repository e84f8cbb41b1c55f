using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Account;

/// <summary>An invitation: who (e-mail), into which lab, with which lab role; <see cref="Id"/> names its stored row.</summary>
public sealed record LabInvitation(string Email, string LabId, string Role, string? Id = null);

/// <summary>An invitation as its lab's PI and the site administrator see it (never the link after it was created).</summary>
public sealed record LabInvitationInfo(string Id, string Email, string LabId, string Role, string InvitedBy, DateTime CreatedAt,
    DateTime ExpiresAt, DateTime? RevokedAt, DateTime? AcceptedAt)
{
    public string State(DateTime now) =>
        AcceptedAt is not null ? "Accepted" : RevokedAt is not null ? "Revoked" : ExpiresAt <= now ? "Expired" : "Pending";
}

/// <summary>
/// Invitation links: the invitation signed and encrypted with ASP.NET Core Data Protection, with an expiry
/// (<see cref="AccountsOptions.InvitationLifetime"/>), so a link cannot be forged or edited; each is also a row of
/// Identity's AspNetUserTokens table (login provider <see cref="Provider"/>, the inviter's account, name = invitation id:
/// no schema change) so its PI can list it, see when it expires and revoke it. A link is bound to its e-mail address,
/// and an address registers once (Identity's unique e-mail), so a link is single-use (marked accepted).
/// PIs invite into their own lab; the site administrator into any lab, which is how a new lab starts.
/// </summary>
public sealed partial class LabInvitations(IDataProtectionProvider protection, IOptions<AccountsOptions> options,
    IDbContextFactory<MedSegDbContext> dbFactory)
{
    public const string Provider = "MedSeg.Invitation";

    private sealed record Stored(string Email, string LabId, string Role, string InvitedBy, DateTime CreatedAt, DateTime ExpiresAt,
        DateTime? RevokedAt, DateTime? AcceptedAt);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("MedSeg.LabInvitation.v1").ToTimeLimitedDataProtector();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,39}\z")]
    private static partial Regex LabIdPattern();

    /// <summary>Problems with an invitation <paramref name="by"/> may send (empty = allowed).</summary>
    public static IReadOnlyList<string> Problems(PortalUser by, LabInvitation invitation)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(invitation.Email) || invitation.Email.Length > 256 || !invitation.Email.Contains('@'))
            problems.Add($"Email: expected an e-mail address, got '{invitation.Email}'.");
        if (!LabIdPattern().IsMatch(invitation.LabId ?? ""))
            problems.Add($"Lab: 1–40 lower-case letters, digits or '-', got '{invitation.LabId}'.");
        if (!Roles.LabRoles.Contains(invitation.Role))
            problems.Add($"Role: one of {string.Join(", ", Roles.LabRoles)}, got '{invitation.Role}'.");
        if (!by.IsAdmin && !(by.IsPI && invitation.LabId == by.LabId))
            problems.Add($"Lab: only the PI of lab '{invitation.LabId}' or the site administrator may invite into it.");
        return problems;
    }

    private TimeSpan Lifetime => TimeSpan.FromTicks(Math.Clamp(options.Value.InvitationLifetime.Ticks, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromDays(90).Ticks));

    /// <summary>Stores the invitation; its token for <c>/Account/Register?invite=TOKEN</c> and what was stored.</summary>
    public async Task<(string Token, LabInvitationInfo Info)> CreateAsync(PortalUser by, LabInvitation invitation, CancellationToken ct = default)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var now = DateTime.UtcNow;
        var stored = new Stored(invitation.Email.Trim(), invitation.LabId, invitation.Role, by.Name, now, now + Lifetime, null, null);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Set<IdentityUserToken<string>>().Add(new IdentityUserToken<string>
            {
                UserId = by.Id, LoginProvider = Provider, Name = id, Value = JsonSerializer.Serialize(stored),
            });
            await db.SaveChangesAsync(ct);
        }
        var token = Protector.Protect(JsonSerializer.Serialize(invitation with { Email = stored.Email, Id = id }), Lifetime);
        return (token, Info(id, stored));
    }

    /// <summary>The invitation, or null when the token is forged, edited, expired, revoked or already accepted.</summary>
    public async Task<LabInvitation?> ReadAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return null;
        LabInvitation? invitation;
        try { invitation = JsonSerializer.Deserialize<LabInvitation>(Protector.Unprotect(token)); }
        catch (CryptographicException) { return null; }
        catch (JsonException) { return null; }
        if (invitation?.Id is null) return null;
        var (_, stored) = await FindAsync(invitation.Id, ct);
        return stored is { RevokedAt: null, AcceptedAt: null } ? invitation : null;
    }

    /// <summary>Marks an invitation used by the account it created.</summary>
    public Task MarkAcceptedAsync(string id, CancellationToken ct = default) =>
        UpdateAsync(id, s => s with { AcceptedAt = s.AcceptedAt ?? DateTime.UtcNow }, ct);

    /// <summary>Invitations <paramref name="reader"/> manages (their lab's; every lab's for the site administrator), newest first.</summary>
    public async Task<List<LabInvitationInfo>> ListAsync(PortalUser reader, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<IdentityUserToken<string>>().AsNoTracking().Where(t => t.LoginProvider == Provider).ToListAsync(ct);
        return [.. rows.Select(r => Info(r.Name, Read(r.Value))).Where(i => reader.IsAdmin || (reader.IsPI && i.LabId == reader.LabId))
            .OrderByDescending(i => i.CreatedAt)];
    }

    /// <summary>Revokes an invitation <paramref name="by"/> manages; false when there is none such.</summary>
    public async Task<bool> RevokeAsync(PortalUser by, string id, CancellationToken ct = default)
    {
        var (_, stored) = await FindAsync(id, ct);
        if (stored is null || !(by.IsAdmin || (by.IsPI && stored.LabId == by.LabId))) return false;
        await UpdateAsync(id, s => s with { RevokedAt = s.RevokedAt ?? DateTime.UtcNow }, ct);
        return true;
    }

    private async Task<(IdentityUserToken<string>? Row, Stored? Stored)> FindAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<IdentityUserToken<string>>().AsNoTracking().SingleOrDefaultAsync(t => t.LoginProvider == Provider && t.Name == id, ct);
        return (row, row is null ? null : Read(row.Value));
    }

    private async Task UpdateAsync(string id, Func<Stored, Stored> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<IdentityUserToken<string>>().SingleOrDefaultAsync(t => t.LoginProvider == Provider && t.Name == id, ct);
        if (row is null) return;
        row.Value = JsonSerializer.Serialize(change(Read(row.Value)));
        await db.SaveChangesAsync(ct);
    }

    private static LabInvitationInfo Info(string id, Stored s) =>
        new(id, s.Email, s.LabId, s.Role, s.InvitedBy, s.CreatedAt, s.ExpiresAt, s.RevokedAt, s.AcceptedAt);

    private static Stored Read(string? json) =>
        JsonSerializer.Deserialize<Stored>(json ?? "") ?? throw new InvalidDataException("An invitation row holds no invitation.");
}
