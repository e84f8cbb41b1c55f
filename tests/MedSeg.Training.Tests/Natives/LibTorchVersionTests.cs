using MedSeg.Testing;
using MedSeg.Training.Natives;

namespace MedSeg.Training.Tests.Natives;

/// <summary>Reading a libtorch folder's version from each install layout, and refusing what TorchSharp 0.107 cannot use.</summary>
public class LibTorchVersionTests
{
    [Fact]
    public void Pip_Layout_Reads_Version_Py_Beside_Lib()
    {
        using var tmp = new TempDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(tmp.Path, "torch", "lib")).FullName;
        File.WriteAllText(Path.Combine(tmp.Path, "torch", "version.py"), "from typing import Optional\n__version__ = '2.10.0+cu128'\ncuda: Optional[str] = '12.8'\n");
        var v = LibTorchVersion.Read(lib)!;
        Assert.Equal("2.10.0+cu128", v.Text);
        Assert.Equal("2.10.0", v.Core);
        Assert.True(v.IsCompatible);
    }

    [Fact]
    public void Libtorch_Zip_Layout_Reads_Build_Version()
    {
        using var tmp = new TempDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(tmp.Path, "libtorch", "lib")).FullName;
        File.WriteAllText(Path.Combine(tmp.Path, "libtorch", "build-version"), "2.9.1+cu126\n");
        var v = LibTorchVersion.Read(lib)!;
        Assert.Equal("2.9.1+cu126", v.Text);
        Assert.False(v.IsCompatible);
    }

    [Fact]
    public void Nuget_Layout_Reads_The_Nuspec()
    {
        var v = LibTorchVersion.Read(LibTorchFolders.NuGetCpu)!;
        Assert.Equal("2.10.0", v.Text);
        Assert.EndsWith(".nuspec", v.Source);
        Assert.True(v.IsCompatible);
    }

    [Fact]
    public void Debian_Python3_Torch_Is_Refused_Naming_Both_Versions_And_What_To_Install()
    {
        var folder = LibTorchFolders.DebianPython3Torch;
        var e = Assert.Throws<LibTorchLoadException>(() => LibTorchLoader.Check(folder, LibTorchLoader.EnvironmentVariable));
        Assert.Contains("1.13", e.Message);
        Assert.Contains("needs libtorch 2.10.0", e.Message);
        Assert.Contains("pip install torch==2.10.0", e.Message);
        Assert.Contains("MEDSEG_LIBTORCH", e.Message);
    }

    [Theory]
    [InlineData("")]          // empty folder: no libtorch.so
    [InlineData("missing")]   // no such folder
    public void Unusable_Folders_Are_Refused_With_The_Reason(string kind)
    {
        using var tmp = new TempDirectory();
        var folder = kind == "missing" ? Path.Combine(tmp.Path, "nope") : tmp.Path;
        var e = Assert.Throws<LibTorchLoadException>(() => LibTorchLoader.Check(folder, LibTorchLoader.ConfigurationKey));
        Assert.Contains(LibTorchLoader.ConfigurationKey, e.Message);
        Assert.Contains(kind == "missing" ? "no such folder" : "no libtorch.so", e.Message);
    }

    [Fact]
    public void Folder_Without_Any_Version_File_Is_Refused()
    {
        using var tmp = new TempDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(tmp.Path, "lib")).FullName;
        File.WriteAllBytes(Path.Combine(lib, "libtorch.so"), []);
        var e = Assert.Throws<LibTorchLoadException>(() => LibTorchLoader.Check(lib, LibTorchLoader.EnvironmentVariable));
        Assert.Contains("cannot tell which libtorch version", e.Message);
    }

    [Fact]
    public void This_Test_Build_Carries_The_NuGet_Natives()
    {
        // Why the loader refuses a site libtorch in such a build: TorchSharp would load this copy as well.
        Assert.NotNull(BundledNatives.Find());
    }
}
