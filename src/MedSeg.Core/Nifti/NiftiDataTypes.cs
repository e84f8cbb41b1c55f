using MedSeg.Core.Volumes;

namespace MedSeg.Core.Nifti;

/// <summary>Names of NIfTI-1 datatype codes, for messages about files we cannot read.</summary>
public static class NiftiDataTypes
{
    private static readonly Dictionary<short, string> Names = new()
    {
        [0] = "UNKNOWN", [1] = "BINARY", [2] = "UINT8", [4] = "INT16", [8] = "INT32", [16] = "FLOAT32",
        [32] = "COMPLEX64", [64] = "FLOAT64", [128] = "RGB24", [256] = "INT8", [512] = "UINT16",
        [768] = "UINT32", [1024] = "INT64", [1280] = "UINT64", [1536] = "FLOAT128",
        [1792] = "COMPLEX128", [2048] = "COMPLEX256", [2304] = "RGBA32",
    };

    /// <summary>Types the writer produces (the reader additionally takes int8, uint16 and int64).</summary>
    public static readonly VoxelType[] Writable =
        [VoxelType.UInt8, VoxelType.Int16, VoxelType.Int32, VoxelType.Float32, VoxelType.Float64];

    public static string Name(short code) => Names.TryGetValue(code, out var n) ? n : "not a NIfTI-1 code";

    public static string SupportedList => string.Join(", ", Enum.GetValues<VoxelType>().Select(t => t.ToString().ToLowerInvariant()));
}
