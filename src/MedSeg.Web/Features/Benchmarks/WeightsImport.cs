using System.Text.RegularExpressions;
using MedSeg.Training.Benchmarks;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>An imported weight file and how its keys met the protocol's network (MONAI names after mapping).</summary>
public sealed record WeightsCheck(string File, string Network, bool EncoderOnly, int Loaded, IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected, IReadOnlyList<string> ShapeMismatches);

/// <summary>Why an upload was refused: the HTTP status and every problem, naming the field, the value and the limit.</summary>
public sealed class WeightsImportException(int status, string problem) : Exception(problem)
{
    public int Status { get; } = status;
}

/// <summary>
/// Imports a safetensors file uploaded in the portal as pretrained weights of the lab (<see cref="ImportedWeights"/>), the
/// portal's way to the CLI's <c>safetensors:FILE</c>: members and PIs only, at most <c>Limits:MaxWeightsUploadBytes</c>,
/// streamed to a hidden staging file beside the lab's weights, its header checked as safetensors, its keys checked
/// against the network of the protocol it is for (the fine-tune recipe's model, whole network or encoder only, with the
/// rules a cell's init applies), and only then moved to <c>weights/LAB/NAME.safetensors</c>: a refused file leaves nothing.
/// </summary>
public sealed partial class WeightsImport(DataPaths paths, BenchmarkService benchmarks, IOptions<LimitsOptions> limits)
{
    public const int MaxNameLength = 64;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <summary>The problem with a weights name, or null ("ssl-swin-v1": letters, digits, '.', '_', '-'; up to 64).</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Name: required (letters, digits, '.', '_', '-')."
        : name.Length > MaxNameLength ? $"Name: at most {MaxNameLength} characters, got {name.Length}."
        : !NamePattern().IsMatch(name) ? $"Name: letters, digits, '.', '_' and '-' only, starting with a letter or digit, got '{name}'."
        : null;

    public async Task<WeightsCheck> ImportAsync(PortalUser user, int protocolId, string? name, Stream body, long? length, CancellationToken ct = default)
    {
        if (!user.CanWrite) throw new WeightsImportException(StatusCodes.Status403Forbidden, "Role: viewers cannot import weights; ask your lab's PI for the member role.");
        var entry = await benchmarks.FindAsync(user, protocolId, ct)
            ?? throw new WeightsImportException(StatusCodes.Status404NotFound, $"No benchmark protocol {protocolId} in your lab.");
        if (NameProblem(name) is { } problem) throw new WeightsImportException(StatusCodes.Status400BadRequest, problem);
        var limit = limits.Value.MaxWeightsUploadBytes;
        if (length > limit) throw TooLarge(length.Value, limit);
        var folder = Path.Combine(paths.DataRoot, ImportedWeights.Folder, user.LabId);
        var target = Path.Combine(folder, name + ImportedWeights.Extension);
        if (File.Exists(target)) throw new WeightsImportException(StatusCodes.Status409Conflict, $"Name: '{name}' is already imported in your lab; choose another name.");
        Directory.CreateDirectory(folder);
        var staging = Path.Combine(folder, $".upload-{Guid.NewGuid():N}.part");
        try
        {
            long total = 0;
            await using (var file = new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > limit) throw TooLarge(total, limit);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            var check = Check(entry.Json, user.LabId, staging, name!);
            File.Move(staging, target, overwrite: false);
            return check with { File = $"{ImportedWeights.Folder}/{user.LabId}/{name}{ImportedWeights.Extension}" };
        }
        catch (IOException) when (File.Exists(target) && !File.Exists(staging))
        {
            throw new WeightsImportException(StatusCodes.Status409Conflict, $"Name: '{name}' was imported by someone else meanwhile; choose another name.");
        }
        finally
        {
            File.Delete(staging);
        }
    }

    private static WeightsImportException TooLarge(long bytes, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge,
            $"File: {bytes:N0} bytes or more is larger than the limit of {limit:N0} bytes (Limits:MaxWeightsUploadBytes); copy larger files to <data root>/weights/<lab>/ on the server.");

    /// <summary>The file's header as safetensors, then its keys against the protocol's network (built on the CPU, never trained).</summary>
    private WeightsCheck Check(string protocolJson, string labId, string file, string name)
    {
        SafetensorsHeader header;
        try { header = SafetensorsHeader.Read(file); }
        catch (SafetensorsFormatException e)
        {
            var problem = e.Message[(e.Message.IndexOf("': ", StringComparison.Ordinal) + 3)..]; // without the staging path
            throw new WeightsImportException(StatusCodes.Status422UnprocessableEntity, $"File: not a safetensors file ({problem}); nothing was kept.");
        }
        var recipe = BenchmarkProtocol.FromJson(protocolJson).FineTune;
        var datasets = new DownstreamDatasets(paths);
        var dataset = BenchmarkProtocol.FromJson(protocolJson).Datasets.Select(d => datasets.Resolve(d, labId)).FirstOrDefault(d => d is not null)
            ?? throw new WeightsImportException(StatusCodes.Status409Conflict, "Protocol: none of its datasets is in your lab any more; the network's head cannot be sized.");
        var choice = ModelChoice.For(recipe.Model, recipe.FeatureSize, recipe.PatchSize, DownstreamDatasets.Labels(dataset).Count, recipe.ModelArgs);
        using var module = ModelFactory.Create(choice.Name, choice.Args);
        var network = $"{recipe.Model}{(recipe.EncoderOnly ? " (encoder only)" : "")}";
        try
        {
            var report = WeightInitializer.Check(module, recipe.Model, header, recipe.EncoderOnly);
            return new WeightsCheck(name, network, recipe.EncoderOnly, report.Loaded.Count, report.Missing, report.Unexpected,
                [.. report.ShapeMismatches.Select(m => m.ToString())]);
        }
        catch (StateDictMismatchException e)
        {
            throw new WeightsImportException(StatusCodes.Status422UnprocessableEntity,
                $"File: its keys do not fit the protocol's network {network}: {e.Report}");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new WeightsImportException(StatusCodes.Status422UnprocessableEntity, $"File: {e.Message}");
        }
    }
}
