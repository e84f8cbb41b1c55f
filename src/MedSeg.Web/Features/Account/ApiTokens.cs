using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedSeg.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Account;

/// <summary>A personal API token as listed (never its secret).</summary>
public sealed record ApiTokenInfo(string Id, string Name, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>
/// Personal API tokens for scripts and the CLI: <c>medseg_&lt;id&gt;_&lt;secret&gt;</c>, shown once at creation. At rest only
/// SHA-256 of the secret is kept (a 256-bit random secret needs no slow hash), with name, expiry and revocation, as rows
/// of Identity's AspNetUserTokens table (login provider <see cref="Provider"/>, name = token id): no schema change.
/// A token acts as its account (same lab and role), only on /api and /hubs, never on the pages.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<MedSegDbContext> dbFactory)
{
    public const string Provider = "MedSeg.ApiToken";
    public const string Prefix = "medseg_";

    /// <summary>Longest lifetime a token may get. 365 days.</summary>
    public const int MaxDays = 365;

    private sealed record Stored(string Name, string Hash, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt);

    /// <summary>Creates a token for <paramref name="userId"/>: its info and the secret (shown once).</summary>
    public async Task<(ApiTokenInfo Info, string Token)> CreateAsync(string userId, string name, int days, CancellationToken ct = default)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTime.UtcNow;
        var stored = new Stored(name, Hash(secret), now, now.AddDays(days), null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Set<IdentityUserToken<string>>().Add(new IdentityUserToken<string>
        {
            UserId = userId, LoginProvider = Provider, Name = id, Value = JsonSerializer.Serialize(stored),
        });
        await db.SaveChangesAsync(ct);
        return (Info(id, stored), $"{Prefix}{id}_{secret}");
    }

    public async Task<List<ApiTokenInfo>> ListAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<IdentityUserToken<string>>().AsNoTracking()
            .Where(t => t.UserId == userId && t.LoginProvider == Provider).ToListAsync(ct);
        return [.. rows.Select(r => Info(r.Name, Read(r.Value))).OrderByDescending(t => t.CreatedAt)];
    }

    /// <summary>Revokes one of the user's tokens; false when they have no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, string id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<IdentityUserToken<string>>().SingleOrDefaultAsync(t => t.UserId == userId && t.LoginProvider == Provider && t.Name == id, ct);
        if (row is null) return false;
        var stored = Read(row.Value);
        row.Value = JsonSerializer.Serialize(stored with { RevokedAt = stored.RevokedAt ?? DateTime.UtcNow });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The user id of a presented token, or why it is refused (malformed, unknown, expired, revoked).</summary>
    public async Task<(string? UserId, string? Refusal)> ValidateAsync(string presented, CancellationToken ct = default)
    {
        var parts = presented.StartsWith(Prefix, StringComparison.Ordinal) ? presented[Prefix.Length..].Split('_', 2) : [];
        if (parts.Length != 2 || parts[0].Length != 12) return (null, "malformed token");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<IdentityUserToken<string>>().AsNoTracking()
            .SingleOrDefaultAsync(t => t.LoginProvider == Provider && t.Name == parts[0], ct);
        if (row is null) return (null, "unknown token");
        var stored = Read(row.Value);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored.Hash), Encoding.ASCII.GetBytes(Hash(parts[1]))))
            return (null, "unknown token");
        if (stored.RevokedAt is not null) return (null, "token revoked");
        if (stored.ExpiresAt <= DateTime.UtcNow) return (null, "token expired");
        return (row.UserId, null);
    }

    private static ApiTokenInfo Info(string id, Stored s) => new(id, s.Name, s.CreatedAt, s.ExpiresAt, s.RevokedAt);

    private static Stored Read(string? json) =>
        JsonSerializer.Deserialize<Stored>(json ?? "") ?? throw new InvalidDataException("An API token row holds no token.");

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
