using System.Security.Claims;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Viewer;

namespace MedSeg.Web.Features.Runs.VolumeFusion;

/// <summary>
/// <c>GET /api/volf/previews/{token}/{index}/image.nii.gz | label.nii.gz</c>: one sample of the signed-in user's own run-form
/// preview (<see cref="VolfPreviews"/>) for the slice viewer; anyone else's token, an expired one or a removed one is 404.
/// </summary>
public static class VolfPreviewApi
{
    public static IEndpointRouteBuilder MapVolfPreviewApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/volf/previews/{token}/{index:int}/{file}", (string token, int index, string file, HttpRequest request, ClaimsPrincipal user, VolfPreviews previews) =>
        {
            bool? image = file switch { "image.nii.gz" => true, "label.nii.gz" => false, _ => null };
            if (image is null) return ApiProblems.NotFound($"Unknown file '{file}' (image.nii.gz or label.nii.gz).");
            return previews.FilePath(token, PortalUser.From(user).Id, index, image.Value) is { } path
                ? PredictionApi.Serve(request, path)
                : ApiProblems.NotFound($"No Volume Fusion preview sample {index} of yours under '{token}' (previews last {VolfPreviews.Lifetime.TotalMinutes:0} minutes).");
        }).RequireAuthorization();
        return endpoints;
    }
}
