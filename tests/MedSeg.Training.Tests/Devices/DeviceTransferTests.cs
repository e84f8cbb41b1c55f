using MedSeg.Training.Data;
using MedSeg.Training.Devices;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Devices;

/// <summary>The CUDA transfer seam run with <c>cpu</c>: the same calls, pinning off, values unchanged.</summary>
public class DeviceTransferTests
{
    [Fact]
    public void Pinning_Follows_The_Device()
    {
        Assert.False(new DeviceTransfer(CPU).PinMemory);
        Assert.True(DeviceTransfer.PinsFor(DeviceType.CUDA));
        Assert.False(DeviceTransfer.PinsFor(DeviceType.CPU));
        Assert.True(new DeviceTransfer(CPU, pinMemory: true).PinMemory);
    }

    [Fact]
    public void Cpu_Transfer_Keeps_Values_And_Skips_The_Copy()
    {
        using var scope = NewDisposeScope();
        var host = arange(24, ScalarType.Float32).reshape(2, 3, 4);
        var moved = new DeviceTransfer(CPU).ToDevice(host);
        Assert.Same(host, moved); // already there: no staging copy
        Assert.Equal(DeviceType.CPU, moved.device.type);
    }

    [Fact]
    public void Pinned_Non_Blocking_Path_Runs_On_A_Cpu_Only_Libtorch_Or_Says_Why_Not()
    {
        // Why pinning is CUDA-only by default: a CPU-only libtorch may have no pinned-memory allocator; then pinning
        // fails loudly (and the seam never asks for it on the CPU) rather than silently handing back pageable memory.
        using var scope = NewDisposeScope();
        var host = arange(8, ScalarType.Float32);
        var e = Record.Exception(() => host.pin_memory());
        if (e is null) Assert.True(host.pin_memory().is_pinned());
        else Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Batch_Through_The_Seam_Equals_The_Plain_Batch()
    {
        using var scope = NewDisposeScope();
        var images = Enumerable.Range(0, 2 * 4 * 4 * 4).Select(i => (float)i / 7).ToArray();
        var labels = Enumerable.Range(0, 2 * 4 * 4 * 4).Select(i => (long)(i % 3)).ToArray();
        var batch = new Batch(0, 2, new CropSize(X: 4, Y: 4, Z: 4), images, labels);
        var viaSeam = BatchTensors.From(batch, AxisOrder.MonaiXyz, new DeviceTransfer(CPU));
        Assert.True(viaSeam.Images.eq(TensorLayout.FromBuffer(images, batch.Shape, AxisOrder.MonaiXyz)).all().item<bool>());
        Assert.True(viaSeam.Labels!.eq(TensorLayout.FromBuffer(labels, batch.LabelShape, AxisOrder.MonaiXyz)).all().item<bool>());
        Assert.Equal(ScalarType.Int64, viaSeam.Labels!.dtype);
    }
}
