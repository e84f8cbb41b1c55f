using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class DatasetServiceTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new();
    private PortalUser pi = default!, member = default!;

    public async Task InitializeAsync()
    {
        pi = await DatasetTestHelpers.PortalUserAsync(factory, (await TestAccounts.RegisterAsync(factory, "pi@svc.test")).Email);
        member = await DatasetTestHelpers.PortalUserAsync(factory, (await TestAccounts.RegisterAsync(factory, "m@svc.test")).Email);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<T> WithService<T>(Func<DatasetService, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<DatasetService>());
    }

    [Fact]
    public async Task Create_InvalidSpec_ThrowsNamingFieldAndValue_AndStoresNothing()
    {
        var spec = DatasetTestHelpers.TinySpec() with { OverlapLimit = 1.5 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            WithService(s => s.CreateAsync(pi, "bad", DatasetKinds.AvsDb, spec.ToJson(), 1, 2)));

        Assert.Contains("OverlapLimit must be in (0, 1], got 1.5", error.Message);
        await using var db = await factory.Db.CreateDbContextAsync();
        Assert.False(await db.Datasets.AnyAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task Create_CountOutOfRange_Throws(int count)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            WithService(s => s.CreateAsync(pi, "n", DatasetKinds.AvsDb, DatasetTestHelpers.TinySpec().ToJson(), 1, count)));

        Assert.Contains($"got {count}", error.Message);
    }

    [Fact]
    public async Task MemberCannotDeleteOrCancelAnothersDataset_PICan()
    {
        var created = await DatasetTestHelpers.CreateAsync(factory, pi, "pi-owned", count: 1);
        await DatasetTestHelpers.WaitForCompletionAsync(factory, created.Id);

        Assert.False(await WithService(s => s.DeleteAsync(member, created.Id)));
        Assert.NotNull(await WithService(s => s.FindAsync(member, created.Id))); // same lab: readable

        Assert.True(await WithService(s => s.DeleteAsync(pi, created.Id)));
        Assert.Null(await WithService(s => s.FindAsync(pi, created.Id)));
        Assert.False(Directory.Exists(Path.Combine(factory.DataRoot, created.Path)));
    }

    [Fact]
    public async Task OtherLab_CannotSeeDataset()
    {
        var created = await DatasetTestHelpers.CreateAsync(factory, pi, "lab-a", count: 1);
        var outsider = pi with { Id = "someone", LabId = "other-lab" };

        Assert.Null(await WithService(s => s.FindAsync(outsider, created.Id)));
        Assert.Empty(await WithService(s => s.ListAsync(outsider)));
    }
}
