using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Datasets;

namespace MedSeg.Web.Tests.Support;

/// <summary>Tiny datasets and waiting for the real generation service.</summary>
public static class DatasetTestHelpers
{
    /// <summary>A fast spec: 32³, few shapes, paper-best classes.</summary>
    public static AvsDbSpec TinySpec(int size = 32) => AvsDbSpec.PaperBest(size) with { ShapesPerVolume = 6 };

    public static async Task<PortalUser> PortalUserAsync(PortalFactory factory, string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        var roles = await users.GetRolesAsync(user);
        var pi = roles.Contains(Roles.PI);
        return new PortalUser(user.Id, email, user.LabId, pi, IsViewer: !pi && roles.Contains(Roles.Viewer), IsAdmin: roles.Contains(Roles.Admin));
    }

    public static async Task<Dataset> CreateAsync(PortalFactory factory, PortalUser user, string name, int count, AvsDbSpec? spec = null, long seed = 7)
    {
        using var scope = factory.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<DatasetService>();
        return await service.CreateAsync(user, name, DatasetKinds.AvsDb, (spec ?? TinySpec()).ToJson(), seed, count);
    }

    /// <summary>Polls the row until <paramref name="done"/> holds; fails with the last state after <paramref name="timeout"/>.</summary>
    public static async Task<Dataset> WaitForAsync(PortalFactory factory, int id, Func<Dataset, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        Dataset? row = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await factory.Db.CreateDbContextAsync();
            row = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == id);
            if (done(row)) return row;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Dataset {id} stayed {row?.Status} ({row?.VolumeCountDone}/{row?.VolumeCountRequested}), error: {row?.Error}");
    }

    public static Task<Dataset> WaitForCompletionAsync(PortalFactory factory, int id) =>
        WaitForAsync(factory, id, d => d.Status is DatasetStatus.Completed or DatasetStatus.Failed);
}
