using MedSeg.Core.Nifti;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MedSeg.Viewer;

/// <summary>
/// The one way an endpoint serves a NIfTI file to the slice viewer. The viewer tags its requests with
/// <see cref="ViewerParameter"/>; for those, a ".nii.gz" stored as several gzip members (the writer's parallel default)
/// is streamed as ONE member of stored deflate blocks (<see cref="NiftiBrowserGzip"/>), because the viewer's NIfTI
/// loader gunzips with the browser's DecompressionStream, which fails at a second member. That form has its own ETag
/// (conditional GETs work) and no range support (the viewer never asks for ranges; a Range header gets the whole file).
/// Every other request (downloads, range requests, one-member files) gets the stored bytes as they are, with ranges.
/// </summary>
public static class NiftiVolumeFile
{
    /// <summary>Query parameter the viewer adds to every load (volumeSource.js <c>loadUrl</c>).</summary>
    public const string ViewerParameter = "medsegLoad";

    public const string GzipContentType = "application/gzip";

    /// <param name="path">an existing NIfTI file (.nii or .nii.gz).</param>
    /// <param name="downloadName">Content-Disposition file name (default: the file's name).</param>
    public static IResult Serve(HttpRequest request, string path, string? downloadName = null)
    {
        var info = new FileInfo(path);
        // Volume files never change once renamed into place, so length + time make a strong validator.
        var stored = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        string contentType = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? GzipContentType : "application/octet-stream";
        if (request.Query.ContainsKey(ViewerParameter))
            return new OneMemberResult(path, contentType, downloadName ?? info.Name, info.LastWriteTimeUtc, stored,
                new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}-1m\""));
        return Results.File(path, contentType, downloadName ?? info.Name, info.LastWriteTimeUtc, stored, enableRangeProcessing: true);
    }

    /// <summary>In-memory bytes of a small, freshly written volume (no ETag: it is built per request).</summary>
    public static IResult Serve(byte[] contents, string downloadName) =>
        Results.File(contents, GzipContentType, downloadName, enableRangeProcessing: true);

    private sealed class OneMemberResult(string path, string contentType, string name, DateTime lastModified, EntityTagHeaderValue stored, EntityTagHeaderValue etag) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var stream = NiftiBrowserGzip.OpenOneMember(path);
            if (stream is null)
            {
                // Already one member: the stored bytes, as for any other request.
                await Results.File(path, contentType, name, lastModified, stored, enableRangeProcessing: true)
                    .ExecuteAsync(context);
                return;
            }
            await using (stream)
            {
                var request = context.Request.GetTypedHeaders();
                var response = context.Response;
                var headers = response.GetTypedHeaders();
                headers.ETag = etag;
                headers.LastModified = lastModified;
                response.Headers.AcceptRanges = "none";
                if (request.IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Compare(etag, useStrongComparison: false)))
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }
                response.ContentType = contentType;
                response.ContentLength = stream.Length;
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(name);
                headers.ContentDisposition = disposition;
                if (HttpMethods.IsHead(context.Request.Method)) return;
                await stream.CopyToAsync(response.Body, 1 << 16, context.RequestAborted);
            }
        }
    }
}
