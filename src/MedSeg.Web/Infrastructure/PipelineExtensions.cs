using Microsoft.Extensions.FileProviders;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Components;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Features.OneShotKnn;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Cluster;
using MedSeg.Web.Features.Runs.Tracking;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Infrastructure;

public static class PipelineExtensions
{
    /// <summary>Applies pending migrations and makes sure the roles exist. Runs before the server accepts requests.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>());
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        await app.Services.GetRequiredService<SiteSetup>().EnsureAdministratorAsync();
        // Uploads cut short by a crash left hidden staging files: gone before the first request.
        app.Services.GetRequiredService<DownstreamStaging>().CleanUp();
    }

    public static WebApplication UseApplicationPipeline(this WebApplication app)
    {
        // Behind a reverse proxy on this machine (deploy/nginx-medseg.conf): the client's scheme and address, so cookies
        // are Secure and redirects stay on https. Only loopback proxies are trusted (the default).
        if (app.Configuration.GetValue<bool>("Security:TrustForwardedHeaders"))
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        if (app.Configuration.GetValue<bool>("Security:RequireHttps"))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        // /api and /hubs: every error is ProblemDetails JSON (unhandled exceptions too, e.g. out of memory, without the
        // exception's text); pages get the friendly error and "not found" pages.
        app.UseWhen(context => IdentityExtensions.IsApiRequest(context.Request), branch =>
        {
            branch.UseExceptionHandler();
            branch.UseStatusCodePages();
        });
        app.UseWhen(context => !IdentityExtensions.IsApiRequest(context.Request), branch =>
        {
            if (!app.Environment.IsDevelopment()) branch.UseExceptionHandler("/Error", createScopeForErrors: true);
            branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        // Files of the repository's wwwroot/ (app.css, favicon, built viewer bundles), before authorization: public.
        // An explicit provider: the static-web-assets provider only knows the project's (non-existent) wwwroot.
        // Served before routing, or the static-assets fallback endpoint ({**path:file}) would claim these paths.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(app.Environment.WebRootPath) });
        // Before routing: its in-memory requests go through everything from here on, as a browser's would.
        app.Use(app.Services.GetRequiredService<PageWarmUp>().Middleware);
        app.UseRouting();
        app.UseAuthentication();
        app.UseCrossSiteRequestGuard();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapHub<DatasetsHub>(DatasetsHub.Path);
        app.MapDatasetApi();
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapRunApi();
        app.MapRunTrackingApi();
        Features.Lists.ListApi.MapListApi(app);
        app.MapPredictionApi();
        app.MapPretextPreviewApi();
        app.MapDownstreamApi();
        app.MapLabApi();
        app.MapTokenApi();
        app.MapAuditApi();
        app.MapIngestApi();
        app.MapBenchmarkApi();
        app.MapKnnApi();
        Features.Runs.VolumeFusion.VolfPreviewApi.MapVolfPreviewApi(app);
        app.MapWorkerApi();
        return app;
    }
}
