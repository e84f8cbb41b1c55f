using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Core.Datasets.Msd;

namespace MedSeg.Web.Features.Downstream;

/// <summary>
/// An uploaded MSD / nnU-Net archive to import as <c>downstream/NAME</c>: its file name (the extension says the format),
/// and the seeded train / validation / test split, as `medseg import msd` takes them.
/// </summary>
public sealed partial record DownstreamImportRequest(string Name, string FileName, double Validation = 0.2, double Test = 0.2,
    int Seed = 0, int? Channel = null)
{
    // \z, not $: "$" also matches before a final newline, and "abc\n" would become a folder name.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();

    /// <summary>The dataset's path under the data root.</summary>
    public string DatasetPath => $"{DownstreamDatasets.Folder}/{Name}";

    /// <summary>The archive format's extension of <see cref="FileName"/> (".tar.gz" before ".gz"), or null.</summary>
    public string? Extension => ArchiveExtension(FileName);

    /// <summary>The archive extension <paramref name="fileName"/> ends with (the longest that matches), or null.</summary>
    public static string? ArchiveExtension(string fileName) =>
        DatasetArchive.Extensions.Where(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase)).MaxBy(e => e.Length);

    /// <summary>Every problem of the request itself, one message each naming the field and value; empty = acceptable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        if (!NamePattern().IsMatch(Name ?? ""))
            problems.Add($"Name must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit, got '{Name}'.");
        if (Extension is null)
            problems.Add($"File '{FileName}' is not an archive MedSeg imports ({string.Join(", ", DatasetArchive.Extensions)}).");
        if (!(Validation is >= 0 and < 1)) problems.Add(string.Create(c, $"Validation fraction must be in [0, 1), got {Validation}."));
        if (!(Test is >= 0 and < 1)) problems.Add(string.Create(c, $"Test fraction must be in [0, 1), got {Test}."));
        else if (Validation + Test >= 1) problems.Add(string.Create(c, $"Validation + test fractions must leave cases to train on, got {Validation} + {Test}."));
        if (Channel is < 0) problems.Add($"Channel must be 0 or more, got {Channel}.");
        return problems;
    }
}
