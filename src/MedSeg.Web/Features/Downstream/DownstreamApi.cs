using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// Downstream datasets (signed-in users): <c>GET /api/downstream/datasets</c> lists them; <c>POST
/// /api/downstream/datasets?name=NAME&amp;file=Task09_Spleen.tar&amp;val=0.2&amp;test=0.2&amp;seed=0[&amp;channel=N]</c> with the
/// archive as the raw body (application/octet-stream) imports it as <c>downstream/NAME</c> → 201 with what was imported,
/// or 400 / 409 / 413 / 422 ProblemDetails whose <c>problems</c> lists every problem. A raw body, not a form: no antiforgery form binding, and a
/// cross-site page cannot send it without a CORS preflight the portal never grants.
/// </summary>
public static class DownstreamApi
{
    public static IEndpointRouteBuilder MapDownstreamApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/downstream/datasets").RequireAuthorization();
        group.MapGet("", (DownstreamDatasets datasets, System.Security.Claims.ClaimsPrincipal user) => Results.Ok(datasets.List(PortalUser.From(user).LabId)));
        group.MapPost("", ImportAsync).RequireAuthorization(Policies.LabWriter);
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, DownstreamUpload upload, IOptions<DownstreamOptions> options,
        string? name, string? file, double? val, double? test, int? seed, int? channel, CancellationToken ct)
    {
        // Kestrel's default 30 MB body limit is for forms; archives get the configured one (checked again while streaming).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.Value.MaxUploadBytes;
        var request = new DownstreamImportRequest(name ?? "", file ?? "", val ?? 0.2, test ?? 0.2, seed ?? 0, channel);
        try
        {
            var by = PortalUser.From(http.User);
            var result = await upload.ImportAsync(request, by.LabId, http.Request.Body, ct);
            http.RequestServices.GetRequiredService<AuditLog>().Record(by, "upload", $"{result.Dataset} from {request.FileName}: {result.Cases} cases");
            return Results.Created($"/api/downstream/datasets/{Uri.EscapeDataString(request.Name)}", result);
        }
        catch (DownstreamImportException e)
        {
            return ApiProblems.List(e.StatusCode, e.Problems);
        }
    }
}
