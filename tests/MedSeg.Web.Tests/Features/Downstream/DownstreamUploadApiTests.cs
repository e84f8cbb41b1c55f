using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MedSeg.Core.Generators.Phantom;
using Microsoft.AspNetCore.Mvc.Testing;
using MedSeg.Testing;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>
/// Uploading an MSD archive through <c>POST /api/downstream/datasets</c>: real phantom NIfTI files zipped or tarred, the
/// same validation as `medseg import msd`, and nothing left behind (no folder, no upload file) when it is refused.
/// </summary>
public sealed class DownstreamUploadApiTests : IAsyncLifetime
{
    private readonly UploadLimitPortalFactory factory = new();
    private readonly TempDirectory temp = new("medseg-upload");
    private SignedInUser user = default!;
    private string raw = "";

    public async Task InitializeAsync()
    {
        user = await TestAccounts.RegisterAsync(factory, "pi@upload.test");
        raw = Path.Combine(temp.Path, "Task99_Phantom");
        PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [32, 32, 12] }, seed: 5, trainCount: 6, raw);
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Zip_IsImportedWithASeededSplit_AndListed()
    {
        var zip = Path.Combine(temp.Path, "Task99_Phantom.zip");
        ZipFile.CreateFromDirectory(raw, zip, CompressionLevel.Fastest, includeBaseDirectory: true); // a single top folder, as MSD ships

        var response = await PostAsync(zip, "name=phantom-zip&file=Task99_Phantom.zip&val=0.2&test=0.2&seed=4");
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<DownstreamImportResult>())!;
        Assert.Equal(("downstream/phantom-zip", 6, 4, 1, 1), (result.Dataset, result.Cases, result.Train, result.Validation, result.Test));
        Assert.Contains("liver", result.Labels.Select(l => l.ToLowerInvariant()));
        Assert.True(File.Exists(Path.Combine(factory.DataRoot, "downstream", "phantom-zip", "split.json")));
        Assert.Contains("downstream/phantom-zip", (await user.CreateClient(factory).GetFromJsonAsync<List<string>>("/api/downstream/datasets"))!);
        AssertNoLeftovers("phantom-zip");

        // The same name again: refused, the first import untouched.
        var again = await PostAsync(zip, "name=phantom-zip&file=Task99_Phantom.zip");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("'phantom-zip' already exists", await Problems(again));
    }

    [Fact]
    public async Task TarGz_IsImportedToo()
    {
        var tgz = Path.Combine(temp.Path, "phantom.tar.gz");
        await using (var file = File.Create(tgz))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            await TarFile.CreateFromDirectoryAsync(raw, gzip, includeBaseDirectory: false);
        var response = await PostAsync(tgz, "name=phantom-tgz&file=phantom.tar.gz&val=0.34&test=0");
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<DownstreamImportResult>())!;
        Assert.Equal((4, 2, 0), (result.Train, result.Validation, result.Test));
        AssertNoLeftovers("phantom-tgz");
    }

    [Fact]
    public async Task ArchiveWithAMissingLabel_Is422NamingTheFile_AndLeavesNothing()
    {
        File.Delete(Path.Combine(raw, "labelsTr", "phantom_002.nii.gz"));
        var zip = Path.Combine(temp.Path, "broken.zip");
        ZipFile.CreateFromDirectory(raw, zip);
        var response = await PostAsync(zip, "name=broken&file=broken.zip");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problems = await Problems(response);
        Assert.Contains("broken.zip: not imported", problems);
        Assert.Contains("labelsTr/phantom_002.nii.gz", problems);
        Assert.DoesNotContain(factory.DataRoot, problems); // the lab sees its file's name, not the server's paths
        AssertNoLeftovers(null);
    }

    [Fact]
    public async Task NotAnArchive_TooLarge_BadRequest_AndAnonymous_AreRefusedClearly()
    {
        var junk = Path.Combine(temp.Path, "junk.zip");
        await File.WriteAllBytesAsync(junk, [1, 2, 3, 4, 5, 6, 7, 8]);
        var notZip = await PostAsync(junk, "name=junk&file=junk.zip");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notZip.StatusCode);
        var message = await Problems(notZip);
        Assert.Contains("junk.zip: not a readable .zip archive", message);
        Assert.DoesNotContain(factory.DataRoot, message);

        var big = Path.Combine(temp.Path, "big.zip");
        await File.WriteAllBytesAsync(big, new byte[UploadLimitPortalFactory.Limit + 1]);
        var tooLarge = await PostAsync(big, "name=big&file=big.zip");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("Downstream:MaxUploadBytes", await Problems(tooLarge));

        var bad = await PostAsync(junk, "name=../escape&file=data.rar&val=0.7&test=0.5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = (await bad.Content.ReadFromJsonAsync<ApiProblemList>())!.Problems;
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Name must be") && p.Contains("'../escape'"));
        Assert.Contains(problems, p => p.Contains("'data.rar' is not an archive"));
        Assert.Contains(problems, p => p.StartsWith("Test fraction must be in [0, 1), got 0.5") || p.Contains("0.7 + 0.5"));

        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var content = new ByteArrayContent([1, 2, 3]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/downstream/datasets?name=x&file=x.zip", content)).StatusCode);
        AssertNoLeftovers(null);
    }

    private async Task<HttpResponseMessage> PostAsync(string file, string query)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await user.CreateClient(factory).PostAsync($"/api/downstream/datasets?{query}", content);
    }

    private static async Task<string> Problems(HttpResponseMessage response) =>
        string.Join("\n", (await response.Content.ReadFromJsonAsync<ApiProblemList>())!.Problems);

    /// <summary>Only the imported dataset (if any) under downstream/: no upload file, no staging folder.</summary>
    private void AssertNoLeftovers(string? imported)
    {
        var folder = Path.Combine(factory.DataRoot, "downstream");
        var entries = Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToList() : [];
        Assert.Equal(imported is null ? [] : [imported], entries);
    }

    private sealed class UploadLimitPortalFactory : PortalFactory
    {
        public const int Limit = 4 << 20;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Downstream:MaxUploadBytes", Limit.ToString());
            builder.UseSetting("Training:Enabled", "false");
        }
    }
}
