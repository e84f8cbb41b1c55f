using MedSeg.Training.Methods.Lwi;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Methods;

namespace MedSeg.Training.Tests.Methods.Lwi;

public class ChunkPoolingTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    public void Each_Slot_Is_The_Mean_Of_Exactly_Its_Chunks_Positions(int axis, int chunks)
    {
        long[] shape = [2, 3, 6, 2, 4];
        var map = arange(2 * 3 * 6 * 2 * 4, dtype: ScalarType.Float64).reshape(shape).pow(1.5); // distinct, non-linear values
        using var pooled = ChunkPooling.PerChunk(map, axis, chunks);
        Assert.Equal(new long[] { 2, chunks, 3 }, pooled.shape);
        var v = map.data<double>().ToArray();
        long length = shape[2 + axis], per = length / chunks;
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < chunks; k++)
                {
                    double sum = 0;
                    int count = 0;
                    for (int a0 = 0; a0 < 6; a0++)
                        for (int a1 = 0; a1 < 2; a1++)
                            for (int a2 = 0; a2 < 4; a2++)
                            {
                                int coord = axis == 0 ? a0 : axis == 1 ? a1 : a2;
                                if (coord / per != k) continue;
                                sum += v[(((b * 3 + c) * 6 + a0) * 2 + a1) * 4 + a2];
                                count++;
                            }
                    Assert.Equal(sum / count, pooled[b, k, c].item<double>(), 9);
                }
    }

    [Fact]
    public void Tokens_Map_Onto_The_Grid_Axis_Zero_Slowest_And_Uneven_Chunks_Are_Refused()
    {
        // Token t carries its own index: on a 2×3×4 grid token (i, j, k) is t = (i·3 + j)·4 + k.
        var tokens = arange(24, dtype: ScalarType.Float32).reshape(1, 24, 1);
        using var map = ChunkPooling.TokensToMap(tokens, [2, 3, 4]);
        Assert.Equal(new long[] { 1, 1, 2, 3, 4 }, map.shape);
        Assert.Equal((1 * 3 + 2) * 4 + 3, map[0, 0, 1, 2, 3].item<float>());
        // Pooling tokens along axis 0 in 2 chunks: slot 0 = mean of tokens 0..11, slot 1 = 12..23.
        using var pooled = ChunkPooling.PerChunk(map, 0, 2);
        Assert.Equal(5.5f, pooled[0, 0, 0].item<float>());
        Assert.Equal(17.5f, pooled[0, 1, 0].item<float>());
        var e = Assert.Throws<ArgumentException>(() => ChunkPooling.PerChunk(map, 1, 2));
        Assert.Contains("3 positions on axis 1", e.Message);
    }
}
