using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MedSeg.Training.Natives;

/// <summary>
/// The libtorch version a folder of libtorch libraries holds, read from the files that travel with each kind of
/// install: a PyTorch wheel's <c>torch/version.py</c> next to <c>torch/lib</c>, the <c>build-version</c> file of a
/// libtorch zip (<c>libtorch/build-version</c> beside <c>libtorch/lib</c>), or the <c>.nuspec</c> of a
/// <c>libtorch-*</c> NuGet package (<c>PACKAGE/VERSION/runtimes/RID/native</c>).
/// </summary>
public sealed record LibTorchVersion(string Text, string Source)
{
    /// <summary>The libtorch TorchSharp 0.107 was built against; any other version breaks its native calls.</summary>
    public const string Required = "2.10.0";

    /// <summary>major.minor.patch without a local (+cu128) or pre-release (a0) suffix.</summary>
    public string Core => Regex.Match(Text, @"^\d+\.\d+\.\d+").Value is { Length: > 0 } core ? core : Text;

    public bool IsCompatible => Core == Required;

    /// <summary>The version of the libtorch in <paramref name="folder"/>, or null when no known file names it.</summary>
    public static LibTorchVersion? Read(string folder)
    {
        var dir = new DirectoryInfo(folder);
        var parent = dir.Parent;
        if (parent is not null && File.Exists(Path.Combine(parent.FullName, "version.py"))
            && FromVersionPy(Path.Combine(parent.FullName, "version.py")) is { } py)
            return py;
        foreach (var candidate in new[] { dir.FullName, parent?.FullName })
            if (candidate is not null && File.Exists(Path.Combine(candidate, "build-version")))
            {
                var text = File.ReadAllText(Path.Combine(candidate, "build-version")).Trim();
                if (text.Length > 0) return new LibTorchVersion(text, Path.Combine(candidate, "build-version"));
            }
        // NuGet: <id>/<version>/runtimes/<rid>/native
        var package = dir.Parent?.Parent?.Parent;
        if (dir.Name == "native" && package is not null)
            foreach (var nuspec in Directory.EnumerateFiles(package.FullName, "*.nuspec"))
                if (FromNuspec(nuspec) is { } fromNuspec) return fromNuspec;
        return null;
    }

    private static LibTorchVersion? FromVersionPy(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            var m = Regex.Match(line, @"^__version__\s*=\s*['""]([^'""]+)['""]");
            if (m.Success) return new LibTorchVersion(m.Groups[1].Value, path);
        }
        return null;
    }

    private static LibTorchVersion? FromNuspec(string path)
    {
        try
        {
            var metadata = XDocument.Load(path).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
            var id = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value ?? "";
            var version = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value;
            return id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(version)
                ? new LibTorchVersion(version.Trim(), path) : null;
        }
        catch (System.Xml.XmlException) { return null; }
    }
}
