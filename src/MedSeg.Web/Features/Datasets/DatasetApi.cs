using System.IO.Compression;
using System.Security.Claims;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Viewer;

namespace MedSeg.Web.Features.Datasets;

/// <summary>
/// HTTP API under /api/datasets (signed-in users only; anonymous callers get 401, not a login redirect):
/// volume files with range requests (one gzip member for the slice viewer, <see cref="NiftiVolumeFile"/>), and the whole
/// dataset as a streamed zip.
/// </summary>
public static class DatasetApi
{
    public const string NiftiContentType = NiftiVolumeFile.GzipContentType;

    public static IEndpointRouteBuilder MapDatasetApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/datasets").RequireAuthorization();
        // Each file under two paths: the short one, and one ending in .nii.gz because the Cornerstone NIfTI loader
        // decides from the URL path whether to gunzip.
        foreach (var (suffix, image) in new[] { ("image", true), ("image.nii.gz", true), ("label", false), ("label.nii.gz", false) })
        {
            group.MapGet($"/{{id:int}}/volumes/{{index:int}}/{suffix}", (int id, int index, HttpRequest request, ClaimsPrincipal user, DatasetService datasets, DataPaths paths, IEnumerable<IDatasetWriter> writers, CancellationToken ct) =>
                ServeVolumeFile(id, index, image, request, user, datasets, paths, writers, ct));
        }
        group.MapGet("/{id:int}/download", DownloadZip);
        return endpoints;
    }

    /// <summary>Volume locations for a dataset the user may read; null when the dataset is unknown to them.</summary>
    internal static async Task<(Data.Entities.Dataset Dataset, string Directory, IReadOnlyList<DatasetVolumeFiles> Volumes)?> ResolveAsync(
        int id, ClaimsPrincipal user, DatasetService datasets, DataPaths paths, IEnumerable<IDatasetWriter> writers, CancellationToken ct)
    {
        var dataset = await datasets.FindAsync(PortalUser.From(user), id, ct);
        if (dataset is null) return null;
        var writer = writers.FirstOrDefault(w => w.Kind == dataset.Kind);
        var directory = paths.DatasetDirectory(dataset);
        var volumes = writer is null || !Directory.Exists(directory) ? [] : writer.ListCompleteVolumes(directory);
        return (dataset, directory, volumes);
    }

    private static async Task<IResult> ServeVolumeFile(int id, int index, bool image, HttpRequest request, ClaimsPrincipal user,
        DatasetService datasets, DataPaths paths, IEnumerable<IDatasetWriter> writers, CancellationToken ct)
    {
        var resolved = await ResolveAsync(id, user, datasets, paths, writers, ct);
        if (resolved is null) return ApiProblems.NotFound($"No dataset {id}.");
        var volume = resolved.Value.Volumes.FirstOrDefault(v => v.Index == index);
        if (volume is null) return ApiProblems.NotFound($"Dataset {id} has no complete volume {index}.");
        // Stored bytes with ranges and ETag; one gzip member for the viewer (NiftiVolumeFile).
        return NiftiVolumeFile.Serve(request, image ? volume.ImagePath : volume.LabelPath);
    }

    /// <summary>Streams complete volumes (and the dataset's top-level files, e.g. its manifest) as a zip without buffering it.</summary>
    private static async Task DownloadZip(int id, HttpContext context, DatasetService datasets, DataPaths paths, IEnumerable<IDatasetWriter> writers)
    {
        var ct = context.RequestAborted;
        var resolved = await ResolveAsync(id, context.User, datasets, paths, writers, ct);
        if (resolved is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var (dataset, directory, volumes) = resolved.Value;
        var files = volumes.SelectMany(v => new[] { v.ImagePath, v.LabelPath }).ToList();
        if (Directory.Exists(directory))
            // Top-level files (manifest, dataset.json, spec.json), never a writer's temporary (AtomicFile: "<name>.tmp-<guid>").
            files.AddRange(Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).Contains(".tmp", StringComparison.OrdinalIgnoreCase)));

        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{SafeFileName(dataset.Name)}.zip\"";
        var body = new SyncWriteBufferingStream(context.Response.Body);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            foreach (var file in files.Distinct())
            {
                var entryName = Path.GetRelativePath(directory, file).Replace('\\', '/');
                // .nii.gz is already deflated; compressing again only costs time.
                var level = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
                var entry = zip.CreateEntry(entryName, level);
                await using var target = await entry.OpenAsync(ct);
                await using var source = File.OpenRead(file);
                await source.CopyToAsync(target, ct);
            }
        }
        await body.FlushAsync(ct); // the central directory's tail may still sit in the buffer
    }

    internal static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Append('"').ToHashSet();
        var cleaned = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray());
        return cleaned.Length == 0 ? "dataset" : cleaned;
    }
}
