using System.IO.Compression;
using System.Text;

namespace MedSeg.Viewer.Tests;

/// <summary>
/// Writes small gzip-compressed NIfTI-1 files for the browser tests (the nifti branch's NiftiWriter
/// had not landed when these tests were written). Voxels X fastest, identity sform, 1 mm spacing.
/// </summary>
public static class TestNifti
{
    public const short DatatypeUInt8 = 2;
    public const short DatatypeInt16 = 4;

    public static void WriteInt16(string path, int nx, int ny, int nz, Func<int, int, int, short> voxel)
    {
        var bytes = new byte[nx * ny * nz * 2];
        var i = 0;
        for (var z = 0; z < nz; z++)
            for (var y = 0; y < ny; y++)
                for (var x = 0; x < nx; x++, i += 2)
                    BitConverter.TryWriteBytes(bytes.AsSpan(i, 2), voxel(x, y, z));
        Write(path, nx, ny, nz, DatatypeInt16, 16, bytes);
    }

    public static void WriteUInt8(string path, int nx, int ny, int nz, Func<int, int, int, byte> voxel)
    {
        var bytes = new byte[nx * ny * nz];
        var i = 0;
        for (var z = 0; z < nz; z++)
            for (var y = 0; y < ny; y++)
                for (var x = 0; x < nx; x++)
                    bytes[i++] = voxel(x, y, z);
        Write(path, nx, ny, nz, DatatypeUInt8, 8, bytes);
    }

    private static void Write(string path, int nx, int ny, int nz, short datatype, short bitpix, byte[] voxels)
    {
        var header = new byte[352]; // 348-byte header + 4-byte empty extension flag
        var w = new BinaryWriter(new MemoryStream(header));
        w.Write(348);                                  // sizeof_hdr
        w.Seek(39, SeekOrigin.Begin); w.Write((byte)0); // dim_info
        w.Seek(40, SeekOrigin.Begin);
        foreach (var d in new short[] { 3, (short)nx, (short)ny, (short)nz, 1, 1, 1, 1 }) w.Write(d);
        w.Seek(70, SeekOrigin.Begin); w.Write(datatype); w.Write(bitpix);
        w.Seek(76, SeekOrigin.Begin);
        foreach (var p in new float[] { 1, 1, 1, 1, 1, 1, 1, 1 }) w.Write(p); // pixdim (qfac, dx, dy, dz, ...)
        w.Seek(108, SeekOrigin.Begin); w.Write(352f);   // vox_offset
        w.Write(1f); w.Write(0f);                       // scl_slope, scl_inter
        w.Seek(123, SeekOrigin.Begin); w.Write((byte)2); // xyzt_units: mm
        w.Seek(252, SeekOrigin.Begin); w.Write((short)0); w.Write((short)1); // qform_code, sform_code
        w.Seek(280, SeekOrigin.Begin);
        foreach (var v in new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }) w.Write(v); // srow_x/y/z
        w.Seek(344, SeekOrigin.Begin); w.Write(Encoding.ASCII.GetBytes("n+1\0"));
        w.Flush();

        var temp = path + ".tmp";
        using (var file = File.Create(temp))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        {
            gz.Write(header);
            gz.Write(voxels);
        }
        File.Move(temp, path, overwrite: true);
    }
}
