using MedSeg.Training.Devices;

namespace MedSeg.Training.Tests.Devices;

public class CudnnSwitchesTests
{
    [Fact]
    public void Benchmark_Switch_Is_Set_And_Read_Back_In_Libtorch()
    {
        Assert.True(CudnnSwitches.Available, "libtorch_cpu exports at::Context::setBenchmarkCuDNN");
        var before = CudnnSwitches.Benchmark;
        try
        {
            Assert.True(CudnnSwitches.SetBenchmark(true));
            Assert.True(CudnnSwitches.Benchmark);
            Assert.False(CudnnSwitches.SetBenchmark(false));
            Assert.False(CudnnSwitches.Benchmark);
        }
        finally { CudnnSwitches.SetBenchmark(before ?? false); }
    }
}
