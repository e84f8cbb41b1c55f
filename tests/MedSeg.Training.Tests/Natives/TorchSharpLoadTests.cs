using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Natives;

public class TorchSharpLoadTests
{
    [Fact]
    public void NativeLibrary_Loads_And_Computes()
    {
        using var a = ones(2, 3);
        using var b = a.sum();
        Assert.Equal(6f, b.item<float>());
    }
}
