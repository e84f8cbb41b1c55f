using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Bunit;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data.Entities;
using MedSeg.Training.Fdsl;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets.Components;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Pages;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// A run created through <c>POST /api/runs</c> with every option set away from its default (model arguments, axis order,
/// Adam's eps, schedule cycles, loader workers, TF32 …) and a spec with axis rotations, cloned through the run form
/// (<c>/runs/new?clone=N</c>, rendered against the same portal) and submitted unchanged, stores the same options field by
/// field and the same spec.
/// </summary>
public sealed class CloneKeepsEverySettingTests : PortalComponentTest
{
    /// <summary>Every settable field of <see cref="FdslOptions"/> except the service's own (paths, resume), none at its default.</summary>
    private const string EveryField = """
        {"seed":5,"model":"BasicUNet","featureSize":24,"modelArgs":{"features":"(4, 4, 8, 8, 16, 4)","dropout":"0.1"},
         "axisOrder":"MonaiXyz","crop":32,"batchSize":3,"learningRate":0.0002,"weightDecay":0.0001,"beta1":0.8,"beta2":0.99,
         "eps":1E-07,"warmupSteps":2,"endLr":1E-06,"warmupMultiplier":0.1,"cycles":0.75,"maxGradNorm":2.5,"loss":"dicece",
         "includeBackground":false,"inputIntensity":"raw","samples":40,"steps":9,"epochs":7,"device":"cpu","allowTf32":false,"torchThreads":2,
         "checkpointEvery":4,"keepLast":2,"validationEvery":3,"validationSamples":2,"loaderWorkers":3,"prefetch":5}
        """;

    [Fact]
    public async Task Api_Created_Run_Cloned_Through_The_Form_Keeps_Every_Option_And_The_Spec()
    {
        // Every field of the record is in the request and differs from the default (so a dropped field shows).
        var defaults = JsonSerializer.SerializeToElement(new FdslOptions(), TrainingConfig.Json);
        var request = JsonDocument.Parse(EveryField).RootElement;
        foreach (var field in defaults.EnumerateObject().Where(f => f.Name is not ("outputDir" or "datasetDir" or "specPath" or "resume")))
        {
            Assert.True(request.TryGetProperty(field.Name, out var value), $"The test request lacks '{field.Name}'.");
            Assert.NotEqual(field.Value.GetRawText(), value.GetRawText());
        }
        var spec = DatasetTestHelpers.TinySpec() with { AxisRotations = true };

        await using var factory = new IdlePortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@clone.test");
        using var client = account.CreateClient(factory);
        var created = await client.PostAsJsonAsync("api/runs", new
        {
            name = "every field",
            config = request,
            spec = JsonDocument.Parse(spec.ToJson()).RootElement,
            tags = "clone",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var originalId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        // The form, rendered against the same portal (its services, its database), opened as /runs/new?clone=N.
        Services.AddFallbackServiceProvider(factory.Services);
        string userId;
        await using (var db = await factory.Db.CreateDbContextAsync())
            userId = (await db.Users.SingleAsync(u => u.Email == account.Email)).Id;
        var auth = AddAuthorization();
        auth.SetAuthorized(account.Email);
        auth.SetClaims([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Role, Roles.PI)]);
        EnsurePopoverProvider();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs/new?clone={originalId}");
        var page = Render<RunCreate>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=run-clone-source]")), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=run-config-error]"));
        page.Find("[data-testid=run-submit]").Click();

        TrainingRun original, clone;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await factory.Db.CreateDbContextAsync();
            var runs = await db.TrainingRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
            if (runs.Count == 2) { (original, clone) = (runs[0], runs[1]); break; }
            Assert.True(DateTime.UtcNow < deadline, $"The clone was not queued: {string.Join(" ", page.FindAll("[data-testid=run-server-error]").Select(e => e.TextContent))}");
            await Task.Delay(50);
        }

        Assert.Equal(originalId, original.Id);
        Assert.Equal("every field (clone)", clone.Name);
        var before = JsonDocument.Parse(original.ConfigJson).RootElement;
        var after = JsonDocument.Parse(clone.ConfigJson).RootElement;
        foreach (var field in before.EnumerateObject())
            Assert.True(after.TryGetProperty(field.Name, out var value) && value.GetRawText() == field.Value.GetRawText(),
                $"'{field.Name}': original {field.Value.GetRawText()}, clone {(after.TryGetProperty(field.Name, out var v) ? v.GetRawText() : "missing")}");
        Assert.Equal(before.EnumerateObject().Count(), after.EnumerateObject().Count());
        // And the stored options are the request's values.
        foreach (var field in request.EnumerateObject())
            Assert.Equal(field.Value.GetRawText(), JsonSerializer.Serialize(after.GetProperty(field.Name)));
        var clonedSpec = AvsDbSpec.FromJson(clone.SpecJson!, "clone");
        Assert.True(clonedSpec.AxisRotations);
        Assert.Equal(AvsDbSpec.FromJson(original.SpecJson!, "original").ToJson(), clonedSpec.ToJson()); // same spec (the API keeps the request's formatting)
        Assert.Equal(spec.ToJson(), clonedSpec.ToJson());
    }

    [Fact]
    public void Dataset_Spec_Form_Carries_Fields_It_Does_Not_Show()
    {
        var spec = AvsDbSpec.PaperBest(64) with { AxisRotations = true };

        var form = AvsDbSpecForm.From(spec);
        form.ShapesPerVolume = spec.ShapesPerVolume + 1; // an edited field still counts

        var (result, errors) = form.ToSpec();
        Assert.Empty(errors);
        Assert.True(result.AxisRotations);
        Assert.Equal((spec with { ShapesPerVolume = spec.ShapesPerVolume + 1 }).ToJson(), result.ToJson());

        form.VolumeSize = 4; // the record's rules still apply to the edited copy
        Assert.Contains(form.Validate(), e => e.Contains("VolumeSize must be in 8..1024, got 4"));
    }
}
