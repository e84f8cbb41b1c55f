using System.Runtime.InteropServices;
using TorchSharp;

namespace MedSeg.Training.Natives;

/// <summary>
/// Loads a site's libtorch (e.g. a PyTorch install's <c>torch/lib</c>, with its CUDA and cuDNN) instead of the NuGet
/// natives. Every entry point (portal, <c>medseg</c>, its worker) calls <see cref="LoadConfigured"/> first, before any
/// TorchSharp call: the libraries are loaded by absolute path in dependency order, then TorchSharp's own
/// <c>libLibTorchSharp.so</c>, whose <c>libtorch.so</c> / <c>libc10.so</c> / <c>libtorch_cpu.so</c> dependencies the
/// dynamic loader then satisfies by soname with the copies already loaded (as does TorchSharp's own lazy load by name).
/// The version is checked first: TorchSharp 0.107 calls into libtorch 2.10.0's C++ ABI, and any other version fails with
/// unresolved symbols or worse, so a mismatch is refused before anything is loaded. A build that carries the NuGet
/// natives is refused too: TorchSharp's static constructor loads <c>torch_cpu</c> by name from the application folder
/// first, and a second libtorch_cpu in the process aborts ("Tried to register multiple backend fallbacks"); use the
/// natives-free build (<c>-p:TorchBackend=none</c>, <c>deploy/publish-medseg.sh</c>). Without a setting nothing
/// happens (the NuGet natives load as before).
/// </summary>
public static class LibTorchLoader
{
    public const string EnvironmentVariable = "MEDSEG_LIBTORCH";
    public const string ConfigurationKey = "Training:LibTorchPath";

    // Dependency order: each library's DT_NEEDED siblings are already in the process when it is loaded.
    private static readonly string[] CpuLibraries = ["libc10.so", "libtorch_cpu.so"];
    private static readonly string[] CudaLibraries = ["libc10_cuda.so", "libtorch_cuda.so"];

    private static readonly Lock Gate = new();
    private static LibTorchLoad? _loaded;

    /// <summary>The site libtorch this process loaded, or null (NuGet natives).</summary>
    public static LibTorchLoad? Loaded { get { lock (Gate) return _loaded; } }

    /// <summary>
    /// Loads the folder <paramref name="configuredPath"/> (<c>Training:LibTorchPath</c>) names, else the one
    /// <c>MEDSEG_LIBTORCH</c> names; neither → null and nothing changes. Idempotent for the same folder.
    /// </summary>
    public static LibTorchLoad? LoadConfigured(string? configuredPath = null)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath)) return Load(configuredPath, ConfigurationKey);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : Load(fromEnvironment, EnvironmentVariable);
    }

    /// <summary>
    /// For entry points to print after <see cref="LoadConfigured"/>: a natives-free build with no site libtorch can run
    /// only the commands that never touch TorchSharp (volume tools, generators), so say what the others need.
    /// </summary>
    public static string? MissingLibTorchWarning() => Loaded is null && BundledNatives.Find() is null
        ? $"this medseg build carries no libtorch (TorchBackend=none, for a site libtorch): commands that train or predict need {EnvironmentVariable} "
          + $"(or {ConfigurationKey}) set to a PyTorch {LibTorchVersion.Required} install's torch/lib folder."
        : null;

    /// <summary>Checks and loads the libtorch in <paramref name="folder"/>; <paramref name="setting"/> names where it came from in messages.</summary>
    public static LibTorchLoad Load(string folder, string setting)
    {
        var full = Path.GetFullPath(folder.Trim());
        lock (Gate)
        {
            if (_loaded is not null)
                return _loaded.Folder == full ? _loaded
                    : throw new LibTorchLoadException($"{setting}={full}: this process already loaded libtorch from {_loaded.Folder}; one libtorch per process.");
            var version = Check(full, setting);
            if (BundledNatives.Find() is { } bundled)
                throw new LibTorchLoadException(
                    $"{setting}={full}: this medseg build carries its own libtorch ({bundled}), which TorchSharp loads at start-up; two libtorch copies "
                    + $"in one process abort. Use a build without natives (deploy/publish-medseg.sh, or dotnet build/publish -p:TorchBackend=none), or unset {setting}.");
            bool cuda = File.Exists(Path.Combine(full, "libtorch_cuda.so"));
            var loaded = new List<string>();
            foreach (var name in CpuLibraries.Concat(cuda ? CudaLibraries : []).Append("libtorch.so"))
            {
                var path = Path.Combine(full, name);
                if (!File.Exists(path))
                {
                    if (name == "libtorch.so" || name == "libtorch_cpu.so" || name == "libc10.so")
                        throw new LibTorchLoadException($"{setting}={full}: {name} is missing (a libtorch lib folder holds libc10.so, libtorch_cpu.so and libtorch.so).");
                    continue;
                }
                LoadOne(path, setting);
                loaded.Add(path);
            }
            try { NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null); }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new LibTorchLoadException(
                    $"{setting}={full}: libtorch {version.Text} loaded, but TorchSharp's libLibTorchSharp.so (shipped with medseg) did not: {e.Message}", e);
            }
            return _loaded = new LibTorchLoad(full, setting, version, cuda, loaded);
        }
    }

    /// <summary>The folder's version if it can be used; otherwise a message naming both versions and what to install.</summary>
    public static LibTorchVersion Check(string folder, string setting)
    {
        if (!Directory.Exists(folder))
            throw new LibTorchLoadException($"{setting}={folder}: no such folder. Point it at the folder holding libtorch.so (a PyTorch install's torch/lib), or unset it to use the NuGet natives.");
        if (!File.Exists(Path.Combine(folder, "libtorch.so")))
            throw new LibTorchLoadException($"{setting}={folder}: no libtorch.so in that folder. Point it at the folder holding libtorch.so (a PyTorch install's torch/lib).");
        var version = LibTorchVersion.Read(folder) ?? throw new LibTorchLoadException(
            $"{setting}={folder}: cannot tell which libtorch version this is (no ../version.py, build-version or libtorch .nuspec beside it); "
            + $"medseg needs libtorch {LibTorchVersion.Required}. Use a PyTorch {LibTorchVersion.Required} install's torch/lib.");
        if (!version.IsCompatible)
            throw new LibTorchLoadException(
                $"{setting}={folder} holds libtorch {version.Text} (from {version.Source}), but medseg (TorchSharp 0.107) needs libtorch {LibTorchVersion.Required}. "
                + $"Install PyTorch {LibTorchVersion.Required} (e.g. `pip install torch=={LibTorchVersion.Required} --index-url https://download.pytorch.org/whl/cu128`) "
                + $"and point {setting} at its torch/lib, or unset {setting} to use the NuGet libtorch.");
        return version;
    }

    private static void LoadOne(string path, string setting)
    {
        try { NativeLibrary.Load(path); }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new LibTorchLoadException($"{setting}: loading {path} failed: {e.Message}", e);
        }
    }
}
