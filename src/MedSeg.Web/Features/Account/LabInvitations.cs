using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Account;

/// <summary>An invitation: who (e-mail), into which lab, with which lab role.</summary>
public sealed record LabInvitation(string Email, string LabId, string Role);

/// <summary>
/// Invitation links: the invitation signed and encrypted with ASP.NET Core Data Protection, with an expiry
/// (<see cref="AccountsOptions.InvitationLifetime"/>), so no table is needed and a link cannot be forged or edited. A
/// link is bound to its e-mail address, and an address registers once (Identity's unique e-mail), so a link is
/// single-use. PIs invite into their own lab; the site administrator into any lab, which is how a new lab starts.
/// </summary>
public sealed partial class LabInvitations(IDataProtectionProvider protection, IOptions<AccountsOptions> options)
{
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

    /// <summary>The invitation's token for <c>/Account/Register?invite=TOKEN</c>.</summary>
    public string Create(LabInvitation invitation) =>
        Protector.Protect(JsonSerializer.Serialize(invitation with { Email = invitation.Email.Trim() }),
            TimeSpan.FromTicks(Math.Clamp(options.Value.InvitationLifetime.Ticks, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromDays(90).Ticks)));

    /// <summary>The invitation, or null when the token is forged, edited or expired.</summary>
    public LabInvitation? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return null;
        try { return JsonSerializer.Deserialize<LabInvitation>(Protector.Unprotect(token)); }
        catch (CryptographicException) { return null; }
        catch (JsonException) { return null; }
    }
}
