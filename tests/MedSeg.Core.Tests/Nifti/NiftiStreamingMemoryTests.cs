using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

/// <summary>
/// Reading and writing stream voxels straight between the typed array and the (gzip) file, so the
/// managed allocation is the volume itself plus small buffers — no full-size byte[] copies.
/// </summary>
public class NiftiStreamingMemoryTests
{
    private const int X = 256, Y = 256, Z = 64;
    private const long DataBytes = (long)X * Y * Z * sizeof(short);

    private static Volume MakeVolume()
    {
        var values = new short[X * Y * Z];
        var rng = new Random(7);
        for (int i = 0; i < values.Length; i++) values[i] = (short)(rng.Next(0, 64) + (i / X % 50) * 10);
        return new Volume(X, Y, Z, values);
    }

    [Theory]
    [InlineData(".nii.gz")]
    [InlineData(".nii")]
    public void Read_AllocatesAboutTheVolumeSize(string extension)
    {
        using var dir = new TempDirectory();
        string path = dir.File("big" + extension);
        var original = MakeVolume();
        NiftiWriter.Write(original, path);

        // Warm-up with a whole read: JIT allocations, and the gzip buffers the shared array pool hands out, are allocated
        // once per process — on whichever thread first asks, which was this one on a run where other tests had the pool's
        // buffers out (3.2 MB more, once). What is measured is what every further read allocates.
        NiftiReader.Read(path);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var read = NiftiReader.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(original.Data, read.Data);
        Assert.True(allocated < 1.3 * DataBytes, $"Read allocated {allocated:N0} bytes for {DataBytes:N0} bytes of voxels.");
    }

    [Fact]
    public void Write_AllocatesLittleBesidesTheVolume()
    {
        using var dir = new TempDirectory();
        var volume = MakeVolume();
        // Warm-up at full size: the one-member gzip writer rents a volume-sized input and output buffer from the shared
        // pool once per process; what is measured is what every further write allocates.
        NiftiWriter.Write(MakeVolume(), dir.File("warm.nii.gz"));

        long before = GC.GetAllocatedBytesForCurrentThread();
        NiftiWriter.Write(volume, dir.File("out.nii.gz"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 0.3 * DataBytes, $"Write allocated {allocated:N0} bytes for {DataBytes:N0} bytes of voxels.");
    }
}
