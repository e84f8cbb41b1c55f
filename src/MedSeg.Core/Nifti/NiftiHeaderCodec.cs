using System.Buffers.Binary;
using System.Text;

namespace MedSeg.Core.Nifti;

/// <summary>
/// Byte layout of the 348-byte NIfTI-1 header (offsets from nifti1.h). Decodes either byte order,
/// encodes little-endian. Fields this library does not use are skipped on read and zero on write.
/// </summary>
internal static class NiftiHeaderCodec
{
    private const int NiftiTwoHeaderSize = 540;

    /// <summary>Decodes a header; <paramref name="path"/> only names the file in error messages.</summary>
    public static NiftiHeader Decode(ReadOnlySpan<byte> b, string path)
    {
        if (b.Length < NiftiHeader.Size)
            throw new NiftiFormatException(path, $"header ends after {b.Length:N0} of {NiftiHeader.Size} bytes");

        int sizeLe = BinaryPrimitives.ReadInt32LittleEndian(b);
        int sizeBe = BinaryPrimitives.ReadInt32BigEndian(b);
        bool big;
        if (sizeLe == NiftiHeader.Size) big = false;
        else if (sizeBe == NiftiHeader.Size) big = true;
        else if (sizeLe == NiftiTwoHeaderSize || sizeBe == NiftiTwoHeaderSize)
            throw new NiftiFormatException(path, "is NIfTI-2 (sizeof_hdr 540); only NIfTI-1 is supported");
        else
            throw new NiftiFormatException(path, $"sizeof_hdr is {sizeLe} (expected 348 in either byte order); not a NIfTI-1 file");

        var r = new FieldReader(b, big);
        string magic = ReadString(b.Slice(344, 4));
        if (magic == "ni1")
            throw new NiftiFormatException(path, "magic 'ni1' marks a .hdr/.img pair; only single-file .nii/.nii.gz is supported");
        if (magic != "n+1")
            throw new NiftiFormatException(path, $"wrong magic '{Printable(b.Slice(344, 4))}' (expected 'n+1')");

        var h = new NiftiHeader { IsBigEndian = big, Magic = magic };
        for (int i = 0; i < 8; i++) h.Dim[i] = r.Int16(40 + 2 * i);
        h.DataType = r.Int16(70);
        h.BitPix = r.Int16(72);
        for (int i = 0; i < 8; i++) h.PixDim[i] = r.Single(76 + 4 * i);
        h.VoxOffset = r.Single(108);
        h.SclSlope = r.Single(112);
        h.SclInter = r.Single(116);
        h.XyztUnits = b[123];
        h.CalMax = r.Single(124);
        h.CalMin = r.Single(128);
        h.Descrip = ReadString(b.Slice(148, 80));
        h.QFormCode = r.Int16(252);
        h.SFormCode = r.Int16(254);
        h.QuaternB = r.Single(256);
        h.QuaternC = r.Single(260);
        h.QuaternD = r.Single(264);
        h.QOffsetX = r.Single(268);
        h.QOffsetY = r.Single(272);
        h.QOffsetZ = r.Single(276);
        for (int i = 0; i < 4; i++)
        {
            h.SRowX[i] = r.Single(280 + 4 * i);
            h.SRowY[i] = r.Single(296 + 4 * i);
            h.SRowZ[i] = r.Single(312 + 4 * i);
        }
        return h;
    }

    /// <summary>Encodes a header as 348 little-endian bytes (the writer follows them with 4 zero extension bytes).</summary>
    public static byte[] Encode(NiftiHeader h)
    {
        var b = new byte[NiftiHeader.Size];
        var s = b.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, NiftiHeader.Size);
        b[38] = (byte)'r'; // "regular": historical ANALYZE field, set as nibabel does
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteInt16LittleEndian(s[(40 + 2 * i)..], h.Dim[i]);
        BinaryPrimitives.WriteInt16LittleEndian(s[70..], h.DataType);
        BinaryPrimitives.WriteInt16LittleEndian(s[72..], h.BitPix);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(76 + 4 * i)..], h.PixDim[i]);
        BinaryPrimitives.WriteSingleLittleEndian(s[108..], h.VoxOffset);
        BinaryPrimitives.WriteSingleLittleEndian(s[112..], h.SclSlope);
        BinaryPrimitives.WriteSingleLittleEndian(s[116..], h.SclInter);
        b[123] = h.XyztUnits;
        BinaryPrimitives.WriteSingleLittleEndian(s[124..], h.CalMax);
        BinaryPrimitives.WriteSingleLittleEndian(s[128..], h.CalMin);
        WriteString(s.Slice(148, 80), h.Descrip);
        BinaryPrimitives.WriteInt16LittleEndian(s[252..], h.QFormCode);
        BinaryPrimitives.WriteInt16LittleEndian(s[254..], h.SFormCode);
        BinaryPrimitives.WriteSingleLittleEndian(s[256..], h.QuaternB);
        BinaryPrimitives.WriteSingleLittleEndian(s[260..], h.QuaternC);
        BinaryPrimitives.WriteSingleLittleEndian(s[264..], h.QuaternD);
        BinaryPrimitives.WriteSingleLittleEndian(s[268..], h.QOffsetX);
        BinaryPrimitives.WriteSingleLittleEndian(s[272..], h.QOffsetY);
        BinaryPrimitives.WriteSingleLittleEndian(s[276..], h.QOffsetZ);
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(s[(280 + 4 * i)..], h.SRowX[i]);
            BinaryPrimitives.WriteSingleLittleEndian(s[(296 + 4 * i)..], h.SRowY[i]);
            BinaryPrimitives.WriteSingleLittleEndian(s[(312 + 4 * i)..], h.SRowZ[i]);
        }
        WriteString(s.Slice(344, 4), h.Magic);
        return b;
    }

    private static string ReadString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteString(Span<byte> field, string value)
    {
        // Always leave room for the terminating NUL.
        int n = Math.Min(value.Length, field.Length - 1);
        for (int i = 0; i < n; i++) field[i] = value[i] < 128 ? (byte)value[i] : (byte)'?';
    }

    private static string Printable(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder();
        foreach (byte c in raw) sb.Append(c is >= 32 and < 127 ? ((char)c).ToString() : $"\\x{c:X2}");
        return sb.ToString();
    }

    private readonly ref struct FieldReader(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _b = bytes;

        public short Int16(int at) => bigEndian
            ? BinaryPrimitives.ReadInt16BigEndian(_b[at..])
            : BinaryPrimitives.ReadInt16LittleEndian(_b[at..]);

        public float Single(int at) => bigEndian
            ? BinaryPrimitives.ReadSingleBigEndian(_b[at..])
            : BinaryPrimitives.ReadSingleLittleEndian(_b[at..]);
    }
}
