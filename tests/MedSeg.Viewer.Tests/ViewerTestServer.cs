using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using MedSeg.Viewer.Tests.BlazorHost;
using MedSeg.Testing;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// In-process Kestrel on 127.0.0.1 (random port) serving what a portal serves: the RCL's static web
/// assets (/_content/MedSeg.Viewer/...), a Blazor Server page with the component at /blazor, a plain
/// test page using the JS module directly at /, and NIfTI files under /data (through <see cref="NiftiVolumeFile"/>, as the
/// portal's endpoints serve them).
/// </summary>
public sealed class ViewerTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string BaseUrl { get; }
    public string DataDirectory { get; }

    private ViewerTestServer(WebApplication app, string baseUrl, string dataDirectory)
    {
        _app = app;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public static async Task<ViewerTestServer> StartAsync()
    {
        var bundle = Path.Combine(RepositoryRoot.Path, "src", "MedSeg.Viewer", "wwwroot", "lib", "medseg-viewer", "medseg-viewer.js");
        if (!File.Exists(bundle))
        {
            throw new FileNotFoundException($"Viewer bundle missing: {bundle} (building MedSeg.Viewer runs npm to create it)", bundle);
        }
        var dataDirectory = Directory.CreateTempSubdirectory("medseg-viewer-data-").FullName;
        var pages = Path.Combine(AppContext.BaseDirectory, "TestPages");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The static web assets manifests in the test output are named after this assembly.
            ApplicationName = typeof(ViewerTestServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Development",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddSingleton(new ViewerPageSettings
        {
            Volumes =
            [
                new("Phantom", "/data/" + ViewerTestData.Image, "/data/" + ViewerTestData.Label),
                new("Missing", "/data/missing.nii.gz"),
                new("Image only", "/data/" + ViewerTestData.Image),
            ],
            ClassNames = new Dictionary<int, string> { [1] = "liver", [2] = "tumour" },
        });
        var app = builder.Build();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = new PhysicalFileProvider(pages) });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(pages) });
        app.UseAntiforgery();
        // The viewer bundle comes from here, as in the portal: a static web asset of MedSeg.Viewer.
        app.MapStaticAssets();
        app.MapRazorComponents<TestApp>().AddInteractiveServerRenderMode();
        // Volumes as the portal serves them: through NiftiVolumeFile (the writer's multi-member files become one gzip
        // member for the viewer's tagged requests; the stored bytes otherwise).
        app.MapGet("/data/{name}", (string name, HttpRequest request) =>
            Path.Combine(dataDirectory, Path.GetFileName(name)) is var path && File.Exists(path)
                ? NiftiVolumeFile.Serve(request, path)
                : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        return new ViewerTestServer(app, address.TrimEnd('/'), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
