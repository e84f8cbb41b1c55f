using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedSeg.Core.Tests.Nifti;

/// <summary>
/// Builds NIfTI-1 files byte by byte, independently of the library's codec, so tests can make
/// big-endian, qform-only or deliberately broken files.
/// </summary>
internal sealed class RawNifti
{
    public bool BigEndian { get; set; }
    public int SizeofHdr { get; set; } = 348;
    public short[] Dim { get; set; } = [3, 2, 2, 2, 1, 1, 1, 1];
    public short DataType { get; set; } = 4;
    public short BitPix { get; set; } = 16;
    public float[] PixDim { get; set; } = [1, 1, 1, 1, 0, 0, 0, 0];
    public float VoxOffset { get; set; } = 352;
    public float SclSlope { get; set; }
    public float SclInter { get; set; }
    public short QFormCode { get; set; }
    public short SFormCode { get; set; }
    public float[] Quatern { get; set; } = [0, 0, 0];
    public float[] QOffset { get; set; } = [0, 0, 0];
    public float[] SRows { get; set; } = new float[12];
    public string Magic { get; set; } = "n+1";

    public byte[] Header()
    {
        var b = new byte[348];
        var s = b.AsSpan();
        I32(s, 0, SizeofHdr);
        for (int i = 0; i < 8; i++) I16(s, 40 + 2 * i, Dim[i]);
        I16(s, 70, DataType);
        I16(s, 72, BitPix);
        for (int i = 0; i < 8; i++) F32(s, 76 + 4 * i, PixDim[i]);
        F32(s, 108, VoxOffset);
        F32(s, 112, SclSlope);
        F32(s, 116, SclInter);
        I16(s, 252, QFormCode);
        I16(s, 254, SFormCode);
        for (int i = 0; i < 3; i++) F32(s, 256 + 4 * i, Quatern[i]);
        for (int i = 0; i < 3; i++) F32(s, 268 + 4 * i, QOffset[i]);
        for (int i = 0; i < 12; i++) F32(s, 280 + 4 * i, SRows[i]);
        Encoding.ASCII.GetBytes(Magic).AsSpan(0, Math.Min(4, Magic.Length)).CopyTo(s[344..]);
        return b;
    }

    /// <summary>Header, 4 zero extension bytes, padding up to vox_offset, then the given voxel bytes.</summary>
    public byte[] File(byte[] voxelBytes)
    {
        var ms = new MemoryStream();
        ms.Write(Header());
        ms.Write(new byte[Math.Max(0, (int)VoxOffset - 348)]);
        ms.Write(voxelBytes);
        return ms.ToArray();
    }

    public byte[] Int16Data(params short[] values)
    {
        var b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) I16(b, 2 * i, values[i]);
        return b;
    }

    public byte[] Int32Data(params int[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) I32(b, 4 * i, values[i]);
        return b;
    }

    public byte[] Float32Data(params float[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) F32(b, 4 * i, values[i]);
        return b;
    }

    public byte[] Float64Data(params double[] values)
    {
        var b = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            if (BigEndian) BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(8 * i), values[i]);
            else BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), values[i]);
        }
        return b;
    }

    public static void Save(string path, byte[] content)
    {
        if (!path.EndsWith(".gz")) { System.IO.File.WriteAllBytes(path, content); return; }
        using var file = System.IO.File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(content);
    }

    private void I16(Span<byte> s, int at, short v)
    {
        if (BigEndian) BinaryPrimitives.WriteInt16BigEndian(s[at..], v); else BinaryPrimitives.WriteInt16LittleEndian(s[at..], v);
    }

    private void I32(Span<byte> s, int at, int v)
    {
        if (BigEndian) BinaryPrimitives.WriteInt32BigEndian(s[at..], v); else BinaryPrimitives.WriteInt32LittleEndian(s[at..], v);
    }

    private void F32(Span<byte> s, int at, float v)
    {
        if (BigEndian) BinaryPrimitives.WriteSingleBigEndian(s[at..], v); else BinaryPrimitives.WriteSingleLittleEndian(s[at..], v);
    }
}
