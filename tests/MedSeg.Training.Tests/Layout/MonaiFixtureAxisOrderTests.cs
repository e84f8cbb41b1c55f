using MedSeg.Core.Volumes;
using MedSeg.Training.Inference;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Layout;

/// <summary>
/// MONAI reads a NIfTI volume as (X, Y, Z). Read the fixture's <c>__input__</c> that way into a Volume, predict through
/// our conversion with <see cref="AxisOrder.MonaiXyz"/>, convert back: MONAI's <c>__output__</c> must come out.
/// </summary>
public class MonaiFixtureAxisOrderTests(ITestOutputHelper output)
{
    public static TheoryData<string> FixtureNames => new() { "unetr_h96_32.safetensors", "swin_unetr_f12_64.safetensors" };

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void MonaiXyz_Prediction_Of_Fixture_Input_Read_As_Xyz_Reproduces_Monai_Output(string name)
    {
        var path = Path.Combine(Fixtures.Directory, name);
        using var model = ModelCheckpoint.Load(path); // fixtures describe their model in the metadata
        using var input = SafetensorsFile.ReadTensor(path, "__input__");     // [1, 1, X, Y, Z] in MONAI's reading
        using var expected = SafetensorsFile.ReadTensor(path, "__output__"); // [1, C, X, Y, Z]
        var volume = VolumeFromXyz(input);
        int n = volume.SizeX;
        var window = new SlidingWindowOptions { RoiSize = [volume.SizeZ, volume.SizeY, volume.SizeX], Overlap = 0, Mode = BlendMode.Constant };

        using var monai = new VolumePredictor(model, window, AxisOrder.MonaiXyz).PredictLogits(volume); // [1, C, Z, Y, X]
        // Each channel back into a Volume through the helper, compared voxel by voxel with MONAI's output(x, y, z).
        double maxAbs = 0;
        var outputs = expected.data<float>().ToArray();
        for (int c = 0; c < expected.shape[1]; c++)
        {
            var channel = monai[0, c].contiguous().data<float>().ToArray();
            var v = new Volume(volume.SizeX, volume.SizeY, volume.SizeZ, channel);
            for (int x = 0; x < n; x++)
                for (int y = 0; y < volume.SizeY; y++)
                    for (int z = 0; z < volume.SizeZ; z++)
                    {
                        double want = outputs[((c * volume.SizeX + x) * volume.SizeY + y) * volume.SizeZ + z];
                        maxAbs = Math.Max(maxAbs, Math.Abs(v.GetDouble(v.Index(x, y, z)) - want));
                    }
        }
        // The same volume in our buffer order (Zyx) feeds the network the transposed image: far from MONAI's output.
        using var zyx = new VolumePredictor(model, window, AxisOrder.Zyx).PredictLogits(volume);
        using var expectedZyx = TensorLayout.ToBufferOrder(expected, AxisOrder.MonaiXyz);
        double zyxMaxAbs = TensorAssert.MaxAbsDifference(zyx, expectedZyx);
        output.WriteLine($"{name}: MonaiXyz max-abs {maxAbs:E3}; Zyx max-abs {zyxMaxAbs:E3}");
        Assert.True(maxAbs <= 1e-4, $"MonaiXyz max-abs difference {maxAbs:E3} > 1e-4");
        Assert.True(zyxMaxAbs > 1e-2, $"Zyx unexpectedly matched MONAI ({zyxMaxAbs:E3}): the fixture cannot tell the orders apart");
    }

    /// <summary>tensor[0, 0, x, y, z] → volume(x, y, z), X fastest in the buffer.</summary>
    private static Volume VolumeFromXyz(Tensor input)
    {
        int sx = (int)input.shape[2], sy = (int)input.shape[3], sz = (int)input.shape[4];
        var values = input.contiguous().data<float>().ToArray();
        var data = new float[values.Length];
        for (int x = 0; x < sx; x++)
            for (int y = 0; y < sy; y++)
                for (int z = 0; z < sz; z++) data[x + sx * (y + sy * z)] = values[(x * sy + y) * sz + z];
        return new Volume(sx, sy, sz, data);
    }
}
