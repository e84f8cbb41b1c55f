using System.Text;
using MedSeg.Training.Weights;
using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Weights;

public class SafetensorsFileTests
{
    private static Dictionary<string, Tensor> SampleTensors()
    {
        var baseValues = tensor(new float[] { -2.5f, -1f, 0f, 0.5f, 1.25f, 3f }).reshape(2, 3);
        return new Dictionary<string, Tensor>
        {
            ["f32"] = baseValues.clone(),
            ["f64"] = baseValues.to(ScalarType.Float64) * 1e-3,
            ["f16"] = baseValues.to(ScalarType.Float16),
            ["bf16"] = baseValues.to(ScalarType.BFloat16),
            ["i64"] = tensor(new long[] { long.MinValue, -1, 0, 1, long.MaxValue, 42 }).reshape(3, 2),
            ["i32"] = tensor(new int[] { int.MinValue, -7, 0, 7, int.MaxValue, 3 }),
            ["i16"] = tensor(new short[] { short.MinValue, 0, short.MaxValue }),
            ["i8"] = tensor(new sbyte[] { -128, 0, 127 }),
            ["u8"] = tensor(new byte[] { 0, 128, 255 }),
            ["bool"] = tensor(new bool[] { true, false, true, true }).reshape(2, 1, 2),
            ["scalar"] = tensor(3.5f),
            ["empty"] = zeros(new long[] { 0, 4 }),
            ["dotted.name.weight"] = randn(new long[] { 4, 3, 2, 2, 2 }),
        };
    }

    [Fact]
    public void Write_Then_Read_Roundtrips_Every_Dtype_Shape_And_Metadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sample.safetensors");
        var tensors = SampleTensors();
        var metadata = new Dictionary<string, string> { ["model"] = "UNETR", ["depths"] = "(2, 2, 2, 2)", ["unicode"] = "µm ✓" };

        SafetensorsFile.Write(path, tensors, metadata);
        using var content = SafetensorsFile.Read(path);

        Assert.Equal(tensors.Keys, content.Tensors.Keys);
        Assert.Equal(metadata, content.Metadata);
        foreach (var (name, expected) in tensors)
        {
            var actual = content[name];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(TensorAssert.Same(expected, actual), $"tensor {name} differs after round trip");
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Written_Header_Is_8_Byte_Aligned_And_Lists_Standard_Dtype_Names()
    {
        using var dir = new TempDirectory();
        var path = dir.File("aligned.safetensors");
        SafetensorsFile.Write(path, SampleTensors());

        var header = SafetensorsHeader.Read(path);
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal("BF16", header["bf16"].DType);
        Assert.Equal("BOOL", header["bool"].DType);
        Assert.Equal(new long[] { 2, 1, 2 }, header["bool"].Shape);
        Assert.Empty(header.Metadata);
    }

    [Fact]
    public void Read_Fixture_Header_Has_Monai_Metadata_And_Int64_Buffers()
    {
        var header = SafetensorsHeader.Read(Fixtures.SwinUnetr);
        Assert.Equal("SwinUNETR", header.Metadata["model"]);
        var index = header.Entries.First(e => e.Name.EndsWith("relative_position_index"));
        Assert.Equal(ScalarType.Int64, index.ScalarType);
    }

    [Fact]
    public void Write_Replaces_Existing_File_Atomically()
    {
        using var dir = new TempDirectory();
        var path = dir.File("replace.safetensors");
        File.WriteAllText(path, "old content");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(3) });
        using var content = SafetensorsFile.Read(path);
        Assert.Equal(3f, content["a"].sum().item<float>());
    }

    [Fact]
    public void Write_Unsupported_Dtype_Throws_And_Leaves_No_File()
    {
        using var dir = new TempDirectory();
        var path = dir.File("complex.safetensors");
        var ex = Assert.Throws<NotSupportedException>(() =>
            SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["c"] = zeros(2, ScalarType.ComplexFloat32) }));
        Assert.Contains("ComplexFloat32", ex.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static string WriteRaw(TempDirectory dir, string name, byte[] bytes)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] WithHeader(string json, int dataBytes, long? declaredLength = null)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)(declaredLength ?? header.Length));
        header.CopyTo(bytes, 8);
        return bytes;
    }

    [Theory]
    [InlineData("tiny", "shorter than the 8-byte")]
    [InlineData("huge-length", "header length")]
    [InlineData("header-past-end", "truncated: header length")]
    [InlineData("not-json", "not valid JSON")]
    [InlineData("array", "expected an object")]
    [InlineData("bad-dtype", "dtype 'Q7' is not supported")]
    [InlineData("no-shape", "missing array field 'shape'")]
    [InlineData("size-mismatch", "needs 16")]
    [InlineData("data-truncated", "truncated: tensor 'w'")]
    [InlineData("metadata-not-string", "'__metadata__.epochs' is a Number")]
    [InlineData("overlap", "overlap")]
    [InlineData("duplicate", "names 'a' twice")]
    public void Read_Malformed_File_Throws_Message_Naming_File_And_Problem(string kind, string expectedFragment)
    {
        using var dir = new TempDirectory();
        byte[] bytes = kind switch
        {
            "tiny" => [1, 2, 3],
            "huge-length" => WithHeader("{}", 0, declaredLength: long.MaxValue),
            "header-past-end" => WithHeader("{}", 0, declaredLength: 500),
            "not-json" => WithHeader("{\"w\": {", 0),
            "array" => WithHeader("[1, 2]", 0),
            "bad-dtype" => WithHeader("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "no-shape" => WithHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8),
            "size-mismatch" => WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8),
            "data-truncated" => WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
            "metadata-not-string" => WithHeader("{\"__metadata__\":{\"epochs\":5}}", 0),
            "overlap" => WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
            "duplicate" => WithHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var path = WriteRaw(dir, kind + ".safetensors", bytes);

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expectedFragment, ex.Message);
    }
}
