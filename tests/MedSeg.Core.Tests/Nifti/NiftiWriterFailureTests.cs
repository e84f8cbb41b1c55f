using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Testing;

namespace MedSeg.Core.Tests.Nifti;

/// <summary>A write that fails leaves neither the target nor its temporary file behind.</summary>
public class NiftiWriterFailureTests
{
    /// <summary>Passes writes through until a byte budget is spent, then throws like a full disk.</summary>
    private sealed class FailingStream(Stream inner, long budget) : Stream
    {
        private long _left = budget;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.Length > _left) throw new IOException("No space left on device (simulated).");
            _left -= buffer.Length;
            inner.Write(buffer);
        }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("fail.nii")]
    [InlineData("fail.nii.gz")]
    public void FailurePartWayThroughData_LeavesNoFile(string name)
    {
        using var dir = new TempDirectory();
        var volume = Volume.Create<float>(16, 16, 16);

        Assert.Throws<IOException>(() =>
            NiftiWriter.Write(volume, dir.File(name), NiftiWriteOptions.Default, s => new FailingStream(s, 5000)));

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void FailurePartWay_KeepsThePreviousFileIntact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("keep.nii.gz");
        var original = new Volume(2, 2, 2, new short[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        NiftiWriter.Write(original, path);

        Assert.Throws<IOException>(() =>
            NiftiWriter.Write(Volume.Create<short>(16, 16, 16), path, NiftiWriteOptions.Default, s => new FailingStream(s, 1000)));

        Assert.Equal(original.Data, NiftiReader.Read(path).Data);
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void TargetIsADirectory_RenameFails_TempFileIsRemoved()
    {
        using var dir = new TempDirectory();
        string path = dir.File("taken.nii");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => NiftiWriter.Write(Volume.Create<byte>(4, 4, 4), path));

        Assert.Equal([path], Directory.GetFileSystemEntries(dir.Path));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void DirectoryRemoved_WriteFails_NothingCreated()
    {
        var dir = new TempDirectory();
        string path = dir.File("gone.nii.gz");
        dir.Dispose();

        Assert.Throws<DirectoryNotFoundException>(() => NiftiWriter.Write(Volume.Create<byte>(4, 4, 4), path));
        Assert.False(Directory.Exists(dir.Path));
    }

    [Theory]
    [InlineData(typeof(long))]
    [InlineData(typeof(sbyte))]
    [InlineData(typeof(ushort))]
    public void UnwritableVoxelType_IsRejected_NoFile(Type clrType)
    {
        using var dir = new TempDirectory();
        var volume = new Volume(2, 2, 2, Array.CreateInstance(clrType, 8));

        var e = Assert.Throws<NotSupportedException>(() => NiftiWriter.Write(volume, dir.File("x.nii")));

        Assert.StartsWith($"x.nii: cannot write voxel type {volume.Type}", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void NonFiniteAffine_IsRejected_NoFile()
    {
        using var dir = new TempDirectory();
        double[] affine = Volume.DiagonalAffine([1, 1, 1]);
        affine[3] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => NiftiWriter.Write(new Volume(2, 2, 2, new byte[8], affine: affine), dir.File("nan.nii")));

        Assert.StartsWith("nan.nii: affine has non-finite values", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
