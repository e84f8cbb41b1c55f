using System.Security.Cryptography;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// The site administrator (role Admin, also PI of the first lab): created at start-up from <c>Setup:AdminEmail</c> /
/// <c>Setup:AdminPassword</c>; without them, and while no administrator exists, a one-time setup link is written to
/// the log (<c>/Account/Setup?token=…</c>, a random token kept in memory only), so the first person to reach the
/// page is not automatically in charge.
/// </summary>
public sealed class SiteSetup(IServiceScopeFactory scopes, IOptions<SetupOptions> setup, LabAdministration labAdmins, ILogger<SiteSetup> logger)
{
    private string? token;
    private readonly Lock gate = new();

    public const string Path = "/Account/Setup";

    /// <summary>Creates the configured administrator, or logs a setup link when the site has none.</summary>
    public async Task EnsureAdministratorAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var s = setup.Value;
        if (!string.IsNullOrWhiteSpace(s.AdminEmail))
        {
            if (string.IsNullOrEmpty(s.AdminPassword) && await users.FindByEmailAsync(s.AdminEmail) is null)
                throw new InvalidOperationException("Setup:AdminEmail is set but Setup:AdminPassword is not; set both (e.g. Setup__AdminPassword).");
            var errors = await CreateAdministratorAsync(users, s.AdminEmail, s.AdminPassword ?? "");
            if (errors.Count > 0) throw new InvalidOperationException($"Setup:AdminEmail '{s.AdminEmail}': {string.Join(" ", errors)}");
            return;
        }
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0) return;
        lock (gate) token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        logger.LogWarning("No site administrator yet. Open {Path}?token={Token} on this portal to create one (the link works once, until restart), "
            + "or set Setup__AdminEmail and Setup__AdminPassword.", Path, token);
    }

    /// <summary>True when <paramref name="candidate"/> is the pending setup token (constant-time comparison).</summary>
    public bool IsValidToken(string? candidate)
    {
        lock (gate)
            return token is not null && candidate is not null
                && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(candidate), System.Text.Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Uses the setup token once: creates the administrator; the errors, or empty when created.</summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(string candidate, string email, string password)
    {
        lock (gate)
        {
            if (!IsValidToken(candidate)) return ["The setup link is invalid or was already used."];
            token = null; // one use, even if what follows fails: a new link comes with the next start
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await CreateAdministratorAsync(users, email, password);
    }

    private async Task<IReadOnlyList<string>> CreateAdministratorAsync(UserManager<ApplicationUser> users, string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, LabId = Labs.Default };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded) return [.. created.Errors.Select(e => e.Description)];
        }
        foreach (var role in new[] { Roles.Admin, Roles.PI })
            if (!await users.IsInRoleAsync(user, role)) await users.AddToRoleAsync(user, role);
        await labAdmins.TryClaimAsync(user);
        logger.LogInformation("Site administrator {Email} (PI of lab {Lab})", email, user.LabId);
        return [];
    }
}
