using System.Net;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Web.Features.Runs.VolumeFusion;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The run form's Volume Fusion preview files: served to the user who asked only, gone (404 and no folder) once removed,
/// and kept out of every dataset folder (a temporary folder under the data root's tmp/).
/// </summary>
public sealed class VolfPreviewApiTests
{
    [Fact]
    public async Task Preview_samples_are_served_to_their_owner_only_and_removed_with_their_folder()
    {
        await using var factory = new PortalFactory();
        var owner = await TestAccounts.RegisterAsync(factory, "pi@volf-preview.test");
        var other = await TestAccounts.RegisterAsync(factory, "member@volf-preview.test");
        using var ownerClient = owner.CreateClient(factory);
        using var otherClient = other.CreateClient(factory);
        var previews = factory.Services.GetRequiredService<VolfPreviews>();
        var user = await DatasetTestHelpers.PortalUserAsync(factory, owner.Email);

        var options = new VolfOptions { Size = [8, 16, 16], BoxSizeMin = [2, 4, 4], BoxSizeMax = [6, 10, 10] };
        var preview = await previews.CreateAsync(user.Id,
            () => VolfSourceSet.FromVolumes([("a", Ramp(0)), ("b", Ramp(1))], options), options, seed: 7);
        Assert.Equal(VolfPreviews.SampleCount, preview.Samples.Count);
        var folder = Path.Combine(previews.Root, preview.Token);
        Assert.StartsWith(Path.Combine(factory.DataRoot, "tmp"), folder);
        Assert.Equal(2 * VolfPreviews.SampleCount, Directory.GetFiles(folder).Length);

        for (int i = 0; i < VolfPreviews.SampleCount; i++)
        foreach (var image in new[] { true, false })
        {
            var response = await ownerClient.GetAsync(VolfPreviews.Url(preview.Token, i, image));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal([0x1f, 0x8b], bytes[..2]); // gzip, as the .nii.gz path says
        }
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync(VolfPreviews.Url(preview.Token, 0, true))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.GetAsync(VolfPreviews.Url(preview.Token, VolfPreviews.SampleCount, true))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.GetAsync($"api/volf/previews/{preview.Token}/0/manifest.json")).StatusCode);

        // A second preview of the same user replaces the first; leaving the form removes the last.
        var second = await previews.CreateAsync(user.Id,
            () => VolfSourceSet.FromVolumes([("a", Ramp(0)), ("b", Ramp(1))], options), options, seed: 8);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.GetAsync(VolfPreviews.Url(preview.Token, 0, true))).StatusCode);
        previews.Remove(second.Token);
        Assert.False(Directory.Exists(Path.Combine(previews.Root, second.Token)));
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.GetAsync(VolfPreviews.Url(second.Token, 0, true))).StatusCode);
    }

    private static Core.Volumes.Volume Ramp(int c)
    {
        var data = new float[20 * 20 * 12];
        for (int i = 0; i < data.Length; i++) data[i] = -150 + (i * 7 + c * 31) % 380;
        return new Core.Volumes.Volume(20, 20, 12, data);
    }
}
