using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// Decides atomically which account administers (is PI of) a lab: the first to insert the lab's <see cref="LabAdmin"/>
/// row. The row's primary key is the lab id, so of any number of simultaneous first registrations the database lets
/// exactly one insert succeed, on SQLite and PostgreSQL alike; a check-then-act on the PI role could let two through.
/// </summary>
public sealed class LabAdministration(IDbContextFactory<MedSegDbContext> dbFactory)
{
    /// <summary>True when <paramref name="user"/> became its lab's administrator; false when the lab already has one.</summary>
    public async Task<bool> TryClaimAsync(ApplicationUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.LabAdmins.AnyAsync(a => a.LabId == user.LabId, ct)) return false; // the common case, without an error
        db.LabAdmins.Add(new LabAdmin { LabId = user.LabId, UserId = user.Id, ClaimedAt = DateTime.UtcNow });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Lost the race: another registration inserted the lab's row first. Anything else is a real error.
            await using var check = await dbFactory.CreateDbContextAsync(ct);
            if (await check.LabAdmins.AnyAsync(a => a.LabId == user.LabId, ct)) return false;
            throw;
        }
    }
}
