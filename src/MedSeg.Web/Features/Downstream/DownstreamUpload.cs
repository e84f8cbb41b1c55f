using MedSeg.Core.Datasets.Msd;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Downstream;

/// <summary>What an import made: the dataset path, its cases and split, and its label names.</summary>
public sealed record DownstreamImportResult(string Dataset, int Cases, int Train, int Validation, int Test, int TestImages,
    IReadOnlyList<string> Labels);

/// <summary>
/// Imports an uploaded archive into <c>&lt;data root&gt;/downstream/NAME</c> with the same validation and atomic import as
/// `medseg import msd` (<see cref="MsdImporter"/>). The body is streamed to a hidden file beside the datasets (never held
/// in memory, refused past <see cref="DownstreamOptions.MaxUploadBytes"/>), which is deleted whatever happens: a refused
/// or interrupted upload leaves no file and no folder. Messages name the uploaded file, never a server path.
/// </summary>
public sealed class DownstreamUpload(DataPaths paths, IOptions<DownstreamOptions> options, IOptions<LimitsOptions> limits,
    ILogger<DownstreamUpload> logger)
{
    public async Task<DownstreamImportResult> ImportAsync(DownstreamImportRequest request, string labId, Stream body, CancellationToken ct)
    {
        var problems = request.Problems();
        if (problems.Count > 0) throw new DownstreamImportException(StatusCodes.Status400BadRequest, problems);
        var folder = Path.Combine(paths.DataRoot, DownstreamDatasets.Folder);
        var target = Path.Combine(folder, request.Name);
        if (Directory.Exists(target) || File.Exists(target)) throw Taken(request);
        Directory.CreateDirectory(folder);
        // Named after this process, so a start-up after a crash knows it is abandoned (DownstreamStaging).
        var upload = Path.Combine(folder, $".upload-{DownstreamStaging.OwnerTag}-{Guid.NewGuid():N}{request.Extension}");
        try
        {
            await SaveAsync(body, upload, request, ct);
            var split = new SplitOptions { Seed = request.Seed, ValidationFraction = request.Validation, TestFraction = request.Test };
            var l = limits.Value;
            var validation = new DatasetValidationOptions
            {
                ImageChannel = request.Channel,
                Limits = new ImportLimits
                {
                    MaxExpandedBytes = l.MaxExpandedBytes, MaxEntryBytes = l.MaxEntryBytes, MaxCompressionRatio = l.MaxCompressionRatio, MaxVoxels = l.MaxVoxels,
                },
            };
            // The lab's name goes into the folder before it appears under downstream/: never visible to another lab.
            var extra = new Dictionary<string, string> { [DownstreamDatasets.LabFile] = labId };
            var result = await Task.Run(() => MsdImporter.Import(upload, target, split, validation, extra), ct);
            logger.LogInformation("Imported downstream dataset {Dataset} from upload {File}: {Cases} cases", request.DatasetPath, request.FileName, result.Report.Cases.Count);
            return new DownstreamImportResult(request.DatasetPath, result.Report.Cases.Count, result.Split.Train.Count, result.Split.Val.Count,
                result.Split.Test.Count, result.Report.TestImages.Count,
                [.. DownstreamDatasets.Labels(result.Target).OrderBy(l => l.Key).Select(l => l.Value)]);
        }
        catch (DatasetImportException) when (Directory.Exists(target))
        {
            throw Taken(request); // another upload of the same name finished first
        }
        catch (DatasetImportException e)
        {
            var lines = e.Problems.Count > 0
                ? [$"{request.FileName}: not imported, {e.Problems.Count} problem(s).", .. e.Problems.Select(p => p.ToString())]
                : new List<string> { Clean(e.Message, upload, target, request) };
            throw new DownstreamImportException(StatusCodes.Status422UnprocessableEntity, lines);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            throw Taken(request); // the final rename lost a race with a parallel upload of the same name
        }
        finally
        {
            try { File.Delete(upload); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not delete upload {Upload}", upload); }
        }
    }

    private static DownstreamImportException Taken(DownstreamImportRequest request) =>
        new(StatusCodes.Status409Conflict, [$"Name: a downstream dataset '{request.Name}' already exists; choose another name."]);

    /// <summary>The importer names its source and target by absolute path: show the lab the uploaded file's name instead.</summary>
    private static string Clean(string message, string upload, string target, DownstreamImportRequest request) =>
        message.Replace(upload, request.FileName, StringComparison.Ordinal).Replace(target, request.DatasetPath, StringComparison.Ordinal);

    private async Task SaveAsync(Stream body, string file, DownstreamImportRequest request, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        var buffer = new byte[1 << 20];
        long total = 0;
        await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
                throw new DownstreamImportException(StatusCodes.Status413PayloadTooLarge,
                    [$"{request.FileName}: larger than the portal's upload limit of {limit:N0} bytes (Downstream:MaxUploadBytes); import it with `medseg import msd` on the server."]);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        if (total == 0) throw new DownstreamImportException(StatusCodes.Status400BadRequest, [$"{request.FileName}: the upload is empty."]);
    }
}
