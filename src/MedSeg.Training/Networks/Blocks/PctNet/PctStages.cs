using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Blocks.PctNet;

/// <summary>
/// MIS-FM <c>PatchEmbedding</c>: proj conv → ConvBlock (x0) → down1 → ConvBlock (x1) → 3D-conv down2 (x2).
/// convDims/downDims pick "2D" (in-plane) or "3D" per stage (resolution modes 0: 3/3, 1: 2/3, 2: 2/2).
/// </summary>
public sealed class PctPatchEmbedding : nn.Module<Tensor, (Tensor X0, Tensor X1, Tensor X2)>
{
    private readonly Conv3d proj;
    private readonly PctConvBlock conv0;
    private readonly PctConvBlock conv1;
    private readonly PctDownSample down1;
    private readonly PctDownSample down2;

    public PctPatchEmbedding(long inChannels, long[] chns, int[] convDims, int[] downDims, double[] dropout) : base("PatchEmbedding")
    {
        proj = PctLayers.Conv(inChannels, chns[0], convDims[0]);
        conv0 = new PctConvBlock(chns[0], chns[0], convDims[0], dropout[0]);
        conv1 = new PctConvBlock(chns[1], chns[1], convDims[1], dropout[1]);
        down1 = new PctDownSample(chns[0], chns[1], downDims[0], convDims[1]);
        down2 = new PctDownSample(chns[1], chns[2], downDims[1], 3);
        RegisterComponents();
    }

    public override (Tensor X0, Tensor X1, Tensor X2) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x0 = conv0.call(proj.call(x));
        var x1 = conv1.call(down1.call(x0));
        var x2 = down2.call(x1);
        return (x0.MoveToOuterDisposeScope(), x1.MoveToOuterDisposeScope(), x2.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var child in children()) child.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// MIS-FM <c>PredictionHead</c>: up2 (x1, pyramid) → conv1 → up1 (x0, ·) → conv0 → out_conv0 (full resolution);
/// out_conv1 on the level-1 features gives the second deep-supervision output.
/// </summary>
public sealed class PctPredictionHead : nn.Module<Tensor, Tensor, Tensor, (Tensor Output, Tensor Output1)>
{
    private readonly PctUpCatBlock up1;
    private readonly PctUpCatBlock up2;
    private readonly PctConvBlock conv0;
    private readonly PctConvBlock conv1;
    private readonly PctConvLayer out_conv0;
    private readonly PctConvLayer out_conv1;

    public PctPredictionHead(long[] chns, int[] convDims, int[] downDims, double[] dropout, long classes) : base("PredictionHead")
    {
        up1 = new PctUpCatBlock(chns[0], chns[1], downDims[0], convDims[0]);
        up2 = new PctUpCatBlock(chns[1], chns[2], downDims[1], convDims[1]);
        conv0 = new PctConvBlock(chns[0], chns[0], convDims[0], dropout[0]);
        conv1 = new PctConvBlock(chns[1], chns[1], convDims[1], dropout[1]);
        out_conv0 = new PctConvLayer(chns[0], classes);
        out_conv1 = new PctConvLayer(chns[1], classes);
        RegisterComponents();
    }

    public override (Tensor Output, Tensor Output1) forward(Tensor x0, Tensor x1, Tensor x2)
    {
        using var scope = NewDisposeScope();
        var d1 = conv1.call(up2.call(x1, x2));
        var d0 = conv0.call(up1.call(x0, d1));
        return (out_conv0.call(d0).MoveToOuterDisposeScope(), out_conv1.call(d1).MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var child in children()) child.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// MIS-FM <c>PyramidConvTrans</c> at 1/4 resolution: e2 → down3 → e3 → down4 → e4 → up4 → d3 → up3 → d2, with
/// out_conv2 / out_conv3 heads on d2 / d3 for deep supervision.
/// </summary>
public sealed class PctPyramid : nn.Module<Tensor, (Tensor D2, Tensor Output2, Tensor Output3)>
{
    private readonly PctDownSample down3;
    private readonly PctDownSample down4;
    private readonly PctUpCatBlock up3;
    private readonly PctUpCatBlock up4;
    private readonly PctConvTransBlock convtrans_e2;
    private readonly PctConvTransBlock convtrans_d2;
    private readonly PctConvTransBlock convtrans_e3;
    private readonly PctConvTransBlock convtrans_d3;
    private readonly PctConvTransBlock convtrans_e4;
    private readonly PctConvLayer out_conv2;
    private readonly PctConvLayer out_conv3;

    public PctPyramid(long[] resolution, long[] chns, double[] dropout, int[] depths, long[] heads, int[] windows, long classes)
        : base("PyramidConvTrans")
    {
        down3 = new PctDownSample(chns[0], chns[1], 3, 3);
        down4 = new PctDownSample(chns[1], chns[2], 3, 3);
        up3 = new PctUpCatBlock(chns[0], chns[1], 3, 3);
        up4 = new PctUpCatBlock(chns[1], chns[2], 3, 3);
        long[] r3 = [.. resolution.Select(v => v / 2)];
        long[] r4 = [.. r3.Select(v => v / 2)];
        convtrans_e2 = new PctConvTransBlock(chns[0], resolution, depths[0], heads[0], windows[0], dropout[0]);
        convtrans_d2 = new PctConvTransBlock(chns[0], resolution, depths[0], heads[0], windows[0], dropout[0]);
        convtrans_e3 = new PctConvTransBlock(chns[1], r3, depths[1], heads[1], windows[1], dropout[1]);
        convtrans_d3 = new PctConvTransBlock(chns[1], r3, depths[1], heads[1], windows[1], dropout[1]);
        convtrans_e4 = new PctConvTransBlock(chns[2], r4, depths[2], heads[2], windows[2], dropout[2]);
        out_conv2 = new PctConvLayer(chns[0], classes);
        out_conv3 = new PctConvLayer(chns[1], classes);
        RegisterComponents();
    }

    public override (Tensor D2, Tensor Output2, Tensor Output3) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x2 = convtrans_e2.call(x);
        var x3 = convtrans_e3.call(down3.call(x2));
        var x4 = convtrans_e4.call(down4.call(x3));
        var d3 = convtrans_d3.call(up4.call(x3, x4));
        var d2 = convtrans_d2.call(up3.call(x2, d3));
        return (d2.MoveToOuterDisposeScope(), out_conv2.call(d2).MoveToOuterDisposeScope(), out_conv3.call(d3).MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var child in children()) child.Dispose();
        base.Dispose(disposing);
    }
}
