using MedSeg.Training.Devices;

namespace MedSeg.Training.Tests.Devices;

public class DeviceResolutionTests
{
    [Theory]
    [InlineData("auto", 0, "cpu")]
    [InlineData(null, 0, "cpu")]
    [InlineData("", 0, "cpu")]
    [InlineData("auto", 1, "cuda:0")]
    [InlineData("auto", 4, "cuda:0")]
    [InlineData("cpu", 0, "cpu")]
    [InlineData("cpu", 2, "cpu")]
    [InlineData(" CPU ", 2, "cpu")]
    [InlineData("cuda", 1, "cuda:0")]
    [InlineData("CUDA", 2, "cuda:0")]
    [InlineData("cuda:0", 1, "cuda:0")]
    [InlineData("cuda:1", 2, "cuda:1")]
    [InlineData("cuda:3", 4, "cuda:3")]
    public void Resolves(string? requested, int cudaDevices, string expected) =>
        Assert.Equal(expected, DeviceResolution.Resolve(requested, cudaDevices));

    [Theory]
    [InlineData("cuda", 0, "CUDA is not available")]
    [InlineData("cuda:0", 0, "CUDA is not available")]
    [InlineData("cuda:2", 2, "2 CUDA device(s), cuda:0 … cuda:1")]
    [InlineData("cuda:-1", 2, "'-1' is not a device index")]
    [InlineData("cuda:x", 2, "'x' is not a device index")]
    [InlineData("cuda:", 2, "'' is not a device index")]
    [InlineData("gpu", 2, "Unknown device 'gpu'")]
    [InlineData("mps", 0, "Unknown device 'mps'")]
    public void Refuses_Naming_The_Value(string requested, int cudaDevices, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceResolution.Resolve(requested, cudaDevices));
        Assert.Contains(message, e.Message);
    }
}
