using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Infrastructure;

/// <summary>
/// Named leases (<see cref="ServiceLease"/>) for work exactly one of several portal processes on one database may do.
/// Taking and renewing is one conditional UPDATE (held by us, or lapsed), or the first INSERT of the name, so two
/// processes never both hold it; a holder that dies stops renewing and the lease passes on when it lapses.
/// </summary>
public static class ServiceLeases
{
    /// <summary>This process's holder name: machine, process id and a per-start suffix (two processes never share it).</summary>
    public static readonly string ThisProcess = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>True when <paramref name="holder"/> holds <paramref name="name"/> until now + <paramref name="duration"/> (renewed or taken now).</summary>
    public static async Task<bool> TryHoldAsync(MedSegDbContext db, string name, string holder, TimeSpan duration, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var until = now + duration;
        var renewed = await db.ServiceLeases.Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct);
        if (renewed == 1) return true;
        if (await db.ServiceLeases.AnyAsync(l => l.Name == name, ct)) return false;
        db.ServiceLeases.Add(new ServiceLease { Name = name, Holder = holder, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException) { return false; } // another process inserted it first
    }

    /// <summary>Gives the lease up (a graceful stop), so another process takes it at once instead of when it lapses.</summary>
    public static Task ReleaseAsync(MedSegDbContext db, string name, string holder, CancellationToken ct) =>
        db.ServiceLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)), ct);

    /// <summary>Who holds <paramref name="name"/> now (null when nobody or lapsed).</summary>
    public static async Task<string?> HolderAsync(MedSegDbContext db, string name, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        return await db.ServiceLeases.Where(l => l.Name == name && l.ExpiresAt >= now).Select(l => l.Holder).FirstOrDefaultAsync(ct);
    }
}
