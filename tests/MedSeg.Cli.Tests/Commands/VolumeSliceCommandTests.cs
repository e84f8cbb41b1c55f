using MedSeg.Core.Imaging;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Shared;

namespace MedSeg.Cli.Tests.Commands;

public class VolumeSliceCommandTests
{
    private const int SX = 16, SY = 12, SZ = 8;

    /// <summary>Image value = 10·x (0…150) everywhere; labels: a 3×2 block of label 2 at z = 3 and one voxel of 5.</summary>
    private static (string Image, string Labels) WriteFiles(TempDirectory dir)
    {
        var image = Volume.Create<short>(SX, SY, SZ);
        var data = image.As<short>();
        for (int z = 0; z < SZ; z++) for (int y = 0; y < SY; y++) for (int x = 0; x < SX; x++)
            data[image.Index(x, y, z)] = (short)(10 * x);
        var labels = Volume.Create<byte>(SX, SY, SZ);
        for (int x = 4; x < 7; x++) for (int y = 8; y < 10; y++) labels.As<byte>()[labels.Index(x, y, 3)] = 2;
        labels.As<byte>()[labels.Index(15, 0, 3)] = 5;
        string imagePath = dir.File("img.nii.gz"), labelPath = dir.File("seg.nii.gz");
        NiftiWriter.Write(image, imagePath);
        NiftiWriter.Write(labels, labelPath);
        return (imagePath, labelPath);
    }

    [Fact]
    public async Task Slice_WithLabelsAndWindow_PngShowsGreyAndBlendedLabelColours()
    {
        using var dir = new TempDirectory();
        var (image, labels) = WriteFiles(dir);
        string png = dir.File("slice.png");

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "z", "--index", "3",
            "--out", png, "--label", labels, "--window", "150", "--level", "75");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("16×12", run.Output);
        var decoded = PngTestDecoder.Decode(File.ReadAllBytes(png));
        Assert.Equal((SX, SY), (decoded.Width, decoded.Height));

        byte Grey(int x) => (byte)Math.Round(10.0 * x / 150 * 255);
        // Unlabelled pixels: grey ramp along columns (x), same on every row (y).
        Assert.Equal((Grey(0), Grey(0), Grey(0), (byte)255), decoded.Pixel(0, 0));
        Assert.Equal((Grey(9), Grey(9), Grey(9), (byte)255), decoded.Pixel(9, 11));
        // Label 2 at columns 4–6, rows 8–9: half grey, half palette colour.
        var two = LabelPalette.ColorOf(2);
        for (int x = 4; x < 7; x++)
            for (int y = 8; y < 10; y++)
                Assert.Equal((Blend(Grey(x), two.R), Blend(Grey(x), two.G), Blend(Grey(x), two.B), (byte)255), decoded.Pixel(x, y));
        var five = LabelPalette.ColorOf(5);
        Assert.Equal((Blend(255, five.R), Blend(255, five.G), Blend(255, five.B), (byte)255), decoded.Pixel(15, 0));
        Assert.Equal((Grey(4), Grey(4), Grey(4), (byte)255), decoded.Pixel(4, 7)); // just above the block
    }

    private static byte Blend(byte grey, byte colour) => (byte)Math.Round(0.5 * grey + 0.5 * colour);

    [Fact]
    public async Task Slice_AxisX_AutoWindow_HasYColumnsAndZRows()
    {
        using var dir = new TempDirectory();
        var (image, labels) = WriteFiles(dir);
        string png = dir.File("x.png");

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "x", "--index", "5", "--out", png, "--label", labels);

        Assert.Equal(0, run.ExitCode);
        var decoded = PngTestDecoder.Decode(File.ReadAllBytes(png));
        Assert.Equal((SY, SZ), (decoded.Width, decoded.Height));
        // Constant slice (all 50): auto window is centred on the value, so mid-grey.
        Assert.Equal(((byte)128, (byte)128, (byte)128, (byte)255), decoded.Pixel(0, 0));
        var two = LabelPalette.ColorOf(2);
        Assert.Equal((Blend(128, two.R), Blend(128, two.G), Blend(128, two.B), (byte)255), decoded.Pixel(8, 3)); // y = 8, z = 3
    }

    [Fact]
    public async Task Slice_AutoWindow_StretchesPercentilesToBlackAndWhite()
    {
        using var dir = new TempDirectory();
        var (image, _) = WriteFiles(dir);
        string png = dir.File("auto.png");

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "y", "--index", "0", "--out", png);

        Assert.Equal(0, run.ExitCode);
        var decoded = PngTestDecoder.Decode(File.ReadAllBytes(png));
        Assert.Equal((SX, SZ), (decoded.Width, decoded.Height));
        Assert.Equal((byte)0, decoded.Pixel(0, 0).R);
        Assert.Equal((byte)255, decoded.Pixel(15, 7).R);
        Assert.InRange(decoded.Pixel(8, 0).R, 130, 140); // 80 of 0…150
    }

    [Theory]
    [InlineData("z", "8", "--index 8 is out of range for axis z: valid 0–7")]
    [InlineData("x", "-1", "--index -1 is out of range for axis x: valid 0–15")]
    public async Task Slice_IndexOutOfRange_NamesValueAndRange_WritesNothing(string axis, string index, string expected)
    {
        using var dir = new TempDirectory();
        var (image, _) = WriteFiles(dir);
        string png = dir.File("none.png");

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", axis, "--index", index, "--out", png);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {expected}", run.Error.Trim());
        Assert.False(File.Exists(png));
    }

    [Fact]
    public async Task Slice_LabelShapeDiffers_NamesBothShapes()
    {
        using var dir = new TempDirectory();
        var (image, _) = WriteFiles(dir);
        string small = dir.File("small.nii");
        NiftiWriter.Write(Volume.Create<byte>(SX, SY, 4), small);

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "z", "--index", "1", "--out", dir.File("o.png"), "--label", small);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: label map small.nii is 16×12×4 but the image is 16×12×8", run.Error.Trim());
    }

    [Fact]
    public async Task Slice_WindowWithoutLevel_IsRejected()
    {
        using var dir = new TempDirectory();
        var (image, _) = WriteFiles(dir);

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "z", "--index", "1", "--out", dir.File("o.png"), "--window", "100");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--window and --level must be given together", run.Error);
    }

    [Fact]
    public async Task Slice_UnknownAxis_IsAParseError()
    {
        using var dir = new TempDirectory();
        var (image, _) = WriteFiles(dir);

        var run = await CliRun.InvokeAsync("volume", "slice", image, "--axis", "w", "--index", "1", "--out", dir.File("o.png"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("w", run.Error);
    }
}
