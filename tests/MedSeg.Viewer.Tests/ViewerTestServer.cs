using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// In-process Kestrel on 127.0.0.1 (random port) serving what a portal serves: the RCL's wwwroot
/// under /_content/MedSeg.Viewer, a plain test page at /, and NIfTI files under /data.
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
        var bundleRoot = Path.Combine(RepositoryPaths.Root, "src", "MedSeg.Viewer", "wwwroot");
        var bundle = Path.Combine(bundleRoot, "lib", "medseg-viewer", "medseg-viewer.js");
        if (!File.Exists(bundle))
        {
            throw new FileNotFoundException($"Viewer bundle missing: {bundle} (building MedSeg.Viewer runs npm to create it)", bundle);
        }
        var dataDirectory = Directory.CreateTempSubdirectory("medseg-viewer-data-").FullName;
        var pages = Path.Combine(AppContext.BaseDirectory, "TestPages");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = pages });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = new PhysicalFileProvider(pages) });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(pages) });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(bundleRoot),
            RequestPath = "/_content/MedSeg.Viewer",
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(dataDirectory),
            RequestPath = "/data",
            ServeUnknownFileTypes = true,
        });
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
