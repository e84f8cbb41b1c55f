namespace MedSeg.Training.Tests.Natives;

/// <summary>
/// The two real libtorch installs the loader tests use: the NuGet CPU libtorch 2.10.0 restored for this build, and
/// Debian's python3-torch 1.13 (deploy/setup.sh installs it) as "another version".
/// </summary>
internal static class LibTorchFolders
{
    public static string NuGetCpu
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var folder = Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
            Assert.True(File.Exists(Path.Combine(folder, "libtorch.so")), $"NuGet libtorch-cpu-linux-x64 2.10.0 not restored at {folder}");
            return folder;
        }
    }

    public const string DebianPython3TorchPath = "/usr/lib/python3/dist-packages/torch/lib";

    public static string DebianPython3Torch
    {
        get
        {
            Assert.True(File.Exists(Path.Combine(DebianPython3TorchPath, "libtorch.so")),
                $"Debian python3-torch is not installed ({DebianPython3TorchPath}); deploy/setup.sh installs it");
            return DebianPython3TorchPath;
        }
    }
}
