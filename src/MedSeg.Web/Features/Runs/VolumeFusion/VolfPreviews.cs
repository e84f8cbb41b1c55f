using System.Collections.Concurrent;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.VolumeFusion;

/// <summary>
/// Previews of fused Volume Fusion samples for the run form (<see cref="VolfPreview"/>: samples 0..2 of the run's seed,
/// drawn in Core). Files live in temporary folders under <c>&lt;data root&gt;/tmp/volf-previews/&lt;token&gt;/</c> — never in a
/// dataset folder — readable only by the user who asked (<see cref="VolfPreviewApi"/>), and removed when the form is left,
/// when the user asks for another, after <see cref="Lifetime"/>, and (leftovers of a stopped process) at start-up.
/// One preview is drawn at a time (they take CPU the runs need).
/// </summary>
public sealed class VolfPreviews
{
    public const int SampleCount = 3;
    /// <summary>Phantom sources a preview generates at most (each is a whole SYNTHETIC CT volume).</summary>
    public const int MaxPhantomSources = 16;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private sealed record Entry(string UserId, string Folder, DateTime CreatedUtc);

    public sealed record Preview(string Token, IReadOnlyList<VolfSampleManifest> Samples, int Classes, ulong Seed);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public VolfPreviews(DataPaths paths)
    {
        Root = Path.Combine(paths.DataRoot, "tmp", "volf-previews");
        TryDelete(Root);
    }

    public string Root { get; }

    /// <summary>Draws and writes the samples; the user's earlier previews are removed first.</summary>
    public async Task<Preview> CreateAsync(string userId, Func<VolfSourceSet> sources, VolfOptions options, ulong seed, CancellationToken ct = default)
    {
        Prune(userId);
        var token = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(Root, token);
        await _gate.WaitAsync(ct);
        try
        {
            var samples = await Task.Run(() => VolfPreview.Write(sources(), options, seed, SampleCount, folder, ct), ct);
            _entries[token] = new Entry(userId, folder, DateTime.UtcNow);
            return new Preview(token, samples, options.Classes, seed);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
        finally { _gate.Release(); }
    }

    /// <summary>A preview file, or null unless <paramref name="token"/> is a live preview of <paramref name="userId"/>.</summary>
    public string? FilePath(string token, string userId, int index, bool image)
    {
        if (!_entries.TryGetValue(token, out var e) || e.UserId != userId || DateTime.UtcNow - e.CreatedUtc > Lifetime) return null;
        if (index < 0 || index >= SampleCount) return null;
        var path = Path.Combine(e.Folder, image ? VolfPreview.ImageFile(index) : VolfPreview.LabelFile(index));
        return File.Exists(path) ? path : null;
    }

    public void Remove(string token)
    {
        if (_entries.TryRemove(token, out var e)) TryDelete(e.Folder);
    }

    /// <summary>The viewer URL of one sample's fused image or fusion-class map.</summary>
    public static string Url(string token, int index, bool image) =>
        $"api/volf/previews/{token}/{index}/{(image ? "image" : "label")}.nii.gz";

    private void Prune(string userId)
    {
        var now = DateTime.UtcNow;
        foreach (var (token, e) in _entries)
            if (e.UserId == userId || now - e.CreatedUtc > Lifetime) Remove(token);
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
