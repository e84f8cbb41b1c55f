using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Training.Inference;
using MedSeg.Training.Networks;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Inference;

public class PredictionWriterTests
{
    private static Volume Image(int x, int y, int z)
    {
        double[] affine = [0, -1.5, 0, 10, 2, 0, 0, -5, 0, 0, 3, 7, 0, 0, 0, 1];
        var values = new float[x * y * z];
        for (int i = 0; i < values.Length; i++) values[i] = i % 7;
        return new Volume(x, y, z, values, [2, 1.5, 3], affine);
    }

    [Fact]
    public void Argmax_Labels_Are_Written_With_Image_Geometry()
    {
        using var dir = new TempDirectory();
        var image = Image(7, 6, 5);
        // Class c wins where the voxel's value is c (values 0..6 → 7 classes): logits = −(value − c)².
        using var x = VolumeTensors.ToImageTensor(image);
        using var classes = arange(7, ScalarType.Float32).reshape(1, 7, 1, 1, 1);
        using var logits = -(x - classes).pow(2);
        var path = dir.File("pred.nii.gz");

        PredictionWriter.Write(logits, image, path);

        var read = NiftiReader.Read(path);
        Assert.Equal(VoxelType.UInt8, read.Type);
        Assert.Equal((7, 6, 5), (read.SizeX, read.SizeY, read.SizeZ));
        Assert.Equal(image.Spacing, read.Spacing);
        Assert.Equal(image.Affine, read.Affine);
        var labels = read.As<byte>();
        var values = image.As<float>();
        for (int i = 0; i < labels.Length; i++) Assert.Equal((byte)values[i], labels[i]);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
    }

    [Fact]
    public void Logits_Of_Another_Shape_Are_Rejected()
    {
        var image = Image(7, 6, 5);
        using var logits = zeros(new long[] { 1, 2, 5, 6, 6 });
        var ex = Assert.Throws<ArgumentException>(() => PredictionWriter.ToLabelVolume(logits, image));
        Assert.Contains("[5, 6, 7]", ex.Message);
    }

    [Fact]
    public void Volume_Predictor_Runs_A_Checkpointed_Network_Over_The_Whole_Image()
    {
        using var dir = new TempDirectory();
        var arguments = new Dictionary<string, string> { ["in_channels"] = "1", ["out_channels"] = "3", ["features"] = "(4, 4, 8, 8, 8, 4)" };
        using (var net = ModelFactory.Create("BasicUNet", arguments))
            ModelCheckpoint.Save(net, dir.File("model.safetensors"), "BasicUNet", arguments);
        using var model = ModelCheckpoint.Load(CheckpointLocator.Resolve(dir.Path));
        var image = Image(20, 18, 17);

        var predictor = new VolumePredictor(model, new SlidingWindowOptions { RoiSize = [16], Overlap = 0.5, Mode = BlendMode.Gaussian });
        using var logits = predictor.PredictLogits(image);
        Assert.Equal(new long[] { 1, 3, 17, 18, 20 }, logits.shape);
        // Voxel (0, 0, 0) lies in the first window only (starts z 0,1; y 0,2; x 0,4): stitched logits equal the network on that crop.
        using var _ = no_grad();
        using var crop = VolumeTensors.ToImageTensor(image)[.., .., ..16, ..16, ..16];
        model.eval();
        using var direct = model.call(crop.contiguous());
        Assert.True(TensorAssert.MaxAbsDifference(direct[.., .., 0, 0, 0], logits[.., .., 0, 0, 0]) < 1e-5);
        var labels = predictor.PredictLabels(image);
        Assert.Equal(image.Affine, labels.Affine);
    }

    [Fact]
    public void Missing_Checkpoint_In_Run_Folder_Names_The_Places_Looked_At()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => CheckpointLocator.Resolve(dir.Path));
        Assert.Contains("model.safetensors", ex.Message);
    }
}
