using System.Security.Claims;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Viewer;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// <c>GET /api/runs/{id}/preview/{file}</c>: the files of an LWI / Swin SSL run's pretext preview (<see cref="PretextPreviews"/>)
/// for the viewer — input, target, labels, reconstruction-step-N (.nii.gz) — to users who may read the run (others 401/404).
/// Only files already written are served; the run page writes them.
/// </summary>
public static class PretextPreviewApi
{
    public static IEndpointRouteBuilder MapPretextPreviewApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/runs").RequireAuthorization().MapGet("/{id:int}/preview/{file}",
            async (int id, string file, HttpRequest request, ClaimsPrincipal user, TrainingRunService runs, PretextPreviews previews, CancellationToken ct) =>
            {
                var run = await runs.FindAsync(PortalUser.From(user), id, ct);
                if (run is null || !previews.Supports(run)) return ApiProblems.NotFound($"No LWI or Swin SSL run {id}.");
                return previews.FilePath(run, file) is { } path
                    ? PredictionApi.Serve(request, path)
                    : ApiProblems.NotFound($"Unknown preview file '{file}' (input, target, labels or reconstruction-step-N .nii.gz).");
            });
        return endpoints;
    }

    public static string FileUrl(int runId, string file) => $"api/runs/{runId}/preview/{file}";
}
