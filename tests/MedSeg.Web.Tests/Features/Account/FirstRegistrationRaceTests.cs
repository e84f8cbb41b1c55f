using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Tests.Database;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Account;

/// <summary>
/// Many simultaneous first registrations through the real Identity page: exactly one becomes PI (the lab's
/// <see cref="LabAdmin"/> row decides), every other account is a Member.
/// </summary>
public sealed class FirstRegistrationRaceTests
{
    private const int Accounts = 12;

    [Fact]
    public async Task ParallelFirstRegistrations_Sqlite_ExactlyOnePI()
    {
        await using var factory = new PortalFactory();
        await AssertExactlyOnePiAsync(factory, "sqlite");
    }

    [PostgresFact]
    public async Task ParallelFirstRegistrations_Postgres_ExactlyOnePI()
    {
        await using var factory = new PostgresPortalFactory();
        await AssertExactlyOnePiAsync(factory, "pg");
    }

    private static async Task AssertExactlyOnePiAsync(PortalFactory factory, string tag)
    {
        _ = factory.Services; // start the host (migrations, roles) before the race, so only registrations compete
        var emails = Enumerable.Range(0, Accounts).Select(i => $"user{i}@race-{tag}.test").ToList();
        // Every client first loads the form (antiforgery), then all posts are released together.
        using var start = new SemaphoreSlim(0, Accounts);
        var registrations = emails.Select(email => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await TestAccounts.RegisterAsync(factory, email);
        })).ToList();
        start.Release(Accounts);
        await Task.WhenAll(registrations);

        await using var db = await factory.Db.CreateDbContextAsync();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           join u in db.Users on ur.UserId equals u.Id
                           select new { u.Email, Role = r.Name }).ToListAsync();
        Assert.Equal(Accounts, roles.Count); // every account got exactly one role
        var pi = Assert.Single(roles, x => x.Role == Roles.PI);
        Assert.Equal(Accounts - 1, roles.Count(x => x.Role == Roles.Member));
        var admin = Assert.Single(await db.LabAdmins.Include(a => a.User).ToListAsync());
        Assert.Equal((Labs.Default, pi.Email), (admin.LabId, admin.User!.Email));
    }
}
