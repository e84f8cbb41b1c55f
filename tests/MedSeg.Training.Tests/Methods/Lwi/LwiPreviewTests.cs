using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Training.Data;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Randomness;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;
using MedSeg.Training.Tests.Methods;

namespace MedSeg.Training.Tests.Methods.Lwi;

public class LwiPreviewTests
{
    [Fact]
    public void Preview_Holds_The_Sample_As_Trained_Its_Target_Order_And_A_Reconstruction()
    {
        using var tmp = new TempDirectory();
        var transform = new LwiShuffleMask(2, 0.4, 16);
        var builder = new LwiBatchBuilder(new UnlabelledCrops(new BlobSource(3, 32, 2), 2, CropSize.Cube(32), 5, null), transform, false, 5);
        var batch = builder.Build(0);
        var folder = tmp.File(LwiPreview.Folder);
        var info = LwiPreview.Write(batch, transform, item: 1, folder);

        int n = 32 * 32 * 32;
        var input = NiftiReader.Read(Path.Combine(folder, LwiPreview.Input));
        Assert.Equal((32, 32, 32), (input.SizeX, input.SizeY, input.SizeZ));
        Assert.Equal(batch.Inputs.Skip(n).Take(n), Enumerable.Range(0, n).Select(i => (float)input.GetDouble(i)));
        var target = NiftiReader.Read(Path.Combine(folder, LwiPreview.Target));
        Assert.Equal(batch.Targets.Skip(n).Take(n), Enumerable.Range(0, n).Select(i => (float)target.GetDouble(i)));
        Assert.Equal(batch.Order.Skip(2).Take(2), info.OriginalChunkAtSlot);
        Assert.Equal((3, 8), (info.MaskedCubes, info.Cubes)); // round(0.4 · 8)
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, LwiPreview.Info))).RootElement;
        Assert.Equal(2, json.GetProperty("chunks").GetInt32());

        using var net = GlobalTorchRandom.Seeded(1, () => new Unetr(1, 1, [32, 32, 32], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 2));
        var path = LwiPreview.WriteReconstruction(net, folder, AxisOrder.Zyx);
        var rec = NiftiReader.Read(path);
        Assert.Equal((32, 32, 32), (rec.SizeX, rec.SizeY, rec.SizeZ));
        Assert.True(net.training); // the mode is restored
    }
}
