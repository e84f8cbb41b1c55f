using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// Draws Volume Fusion samples; sample i depends only on (options, sources, seed, i), so datasets are byte-identical
/// for any thread count and a training run can redraw any step. Thread-safe.
/// </summary>
public sealed class VolfSampler
{
    private readonly VolfSourceSet _sources;
    private readonly ulong _seed;

    public VolfSampler(VolfSourceSet sources, VolfOptions options, ulong seed)
    {
        _sources = sources ?? throw new ArgumentNullException(nameof(sources));
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _seed = seed;
    }

    public VolfOptions Options { get; }

    public VolfSample Generate(int index)
    {
        var rng = DeterministicRandom.ForStream(_seed, index);
        return Options.Variant == VolfVariant.Paper ? Paper(rng, index) : Pymic2024(rng, index);
    }

    /// <summary>Paper: background and foreground from two different volumes, then 10–40 random labelled boxes.</summary>
    private VolfSample Paper(DeterministicRandom rng, int index)
    {
        var size = Options.Size;
        int n = _sources.Count;
        int bgCase = rng.NextInt(0, n - 1);
        // The authors' foreground is the previous sample of the batch: another volume whenever there is one.
        int fgCase = n > 1 ? (bgCase + 1 + rng.NextInt(0, n - 2)) % n : bgCase;
        var (bg, bgCrop) = PlainCrop(rng, _sources.Get(bgCase));
        var (fg, fgCrop) = PlainCrop(rng, _sources.Get(fgCase));

        int d = size[0], h = size[1], w = size[2];
        var label = new byte[(long)d * h * w];
        int count = rng.NextInt(Options.BoxCountMin, Options.BoxCountMax);
        var boxes = new VolfBox[count];
        for (int b = 0; b < count; b++)
        {
            var s = new int[3];
            var c = new int[3];
            for (int a = 0; a < 3; a++) s[a] = rng.NextInt(Options.BoxSizeMin[a], Options.BoxSizeMax[a]);
            for (int a = 0; a < 3; a++) c[a] = rng.NextInt(0, size[a] - 1);
            int value = rng.NextInt(1, Options.FusionLevels);
            var start = new int[3];
            var end = new int[3];
            for (int a = 0; a < 3; a++)
            {
                start[a] = Math.Max(0, c[a] - s[a] / 2);
                end[a] = Math.Min(size[a], c[a] - s[a] / 2 + s[a]);
            }
            Paint(label, size, start, end, (byte)value);
            boxes[b] = new VolfBox(s, c, value, start, end);
        }
        return Fuse(index, bg, fg, label, bgCrop, fgCrop, boxes);
    }

    /// <summary>
    /// PyMIC 2024 (<c>crop4vf.py</c>: Crop4VolumeFusion + VolumeFusion): two resized, flipped, contrast- and gamma-mapped
    /// views of one volume, both inverted together with p 0.25; a regular grid of whole blocks (one block size per sample,
    /// offset randint[0, size mod block]) of which exactly ⌊blocks · 0.7⌋, chosen by a shuffle, get a label randint[1, K].
    /// Voxels outside the whole blocks stay label 0.
    /// </summary>
    private VolfSample Pymic2024(DeterministicRandom rng, int index)
    {
        var size = Options.Size;
        int caseIndex = rng.NextInt(0, _sources.Count - 1);
        var source = _sources.Get(caseIndex);
        var (view1, crop1) = View(rng, source);
        var (view2, crop2) = View(rng, source);
        if (rng.NextDouble() < Options.InvertProbability)
        {
            Invert(view1);
            Invert(view2);
            (crop1, crop2) = (crop1 with { Inverted = true }, crop2 with { Inverted = true });
        }

        var block = new int[3];
        var offset = new int[3];
        var count = new int[3];
        for (int a = 0; a < 3; a++) block[a] = Math.Min(size[a], rng.NextInt(Options.BlockSizeMin[a], Options.BlockSizeMax[a]));
        for (int a = 0; a < 3; a++)
        {
            offset[a] = rng.NextInt(0, size[a] % block[a]);
            count[a] = size[a] / block[a];
        }
        int blocks = count[0] * count[1] * count[2];
        var fused = new bool[blocks];
        Array.Fill(fused, true, 0, (int)(blocks * Options.FusedFraction));
        for (int i = blocks - 1; i > 0; i--) // Fisher–Yates: which blocks are fused
        {
            int j = rng.NextInt(0, i);
            (fused[i], fused[j]) = (fused[j], fused[i]);
        }
        var label = new byte[(long)size[0] * size[1] * size[2]];
        var boxes = new List<VolfBox>();
        for (int bd = 0; bd < count[0]; bd++)
        for (int bh = 0; bh < count[1]; bh++)
        for (int bw = 0; bw < count[2]; bw++)
        {
            if (!fused[(bd * count[1] + bh) * count[2] + bw]) continue;
            int[] start = [offset[0] + bd * block[0], offset[1] + bh * block[1], offset[2] + bw * block[2]];
            int[] end = [start[0] + block[0], start[1] + block[1], start[2] + block[2]];
            int value = rng.NextInt(1, Options.FusionLevels);
            Paint(label, size, start, end, (byte)value);
            boxes.Add(new VolfBox((int[])block.Clone(), [start[0] + block[0] / 2, start[1] + block[1] / 2, start[2] + block[2] / 2], value, start, end));
        }
        // fused = α·view1 + (1 − α)·view2: view2 plays the background, view1 the foreground.
        return Fuse(index, view2, view1, label, crop2, crop1, [.. boxes]);
    }

    private (float[] Voxels, VolfCrop Crop) PlainCrop(DeterministicRandom rng, VolfSourceVolume src)
    {
        var size = Options.Size;
        var origin = VolfCropper.DrawOrigin(rng, [src.Depth, src.Height, src.Width], size);
        var flips = VolfCropper.DrawFlips(rng, Options.RandomFlips);
        return (VolfCropper.Crop(src, origin, size, size, flips), new VolfCrop(src.Case, origin, (int[])size.Clone(), flips));
    }

    /// <summary>
    /// One PyMIC 2024 view: a crop of ⌊size · U(scaleMin, scaleMax)⌋ voxels per axis (at most the source's extent, so never
    /// padded) zoomed back to the sub-volume linearly, flipped, then the contrast map (clip to the p0-th..p1-th percentile,
    /// p0 ~ U(0.1, 2), p1 ~ U(98, 99.9), rescaled to 0..1) and x^γ, γ ~ U(0.7, 1.5).
    /// </summary>
    private (float[] Voxels, VolfCrop Crop) View(DeterministicRandom rng, VolfSourceVolume src)
    {
        var size = Options.Size;
        int[] shape = [src.Depth, src.Height, src.Width];
        var extent = new int[3];
        for (int a = 0; a < 3; a++)
            extent[a] = Math.Clamp((int)(size[a] * rng.NextDouble(Options.ScaleMin, Options.ScaleMax)), 1, shape[a]);
        var origin = VolfCropper.DrawOrigin(rng, shape, extent);
        var flips = VolfCropper.DrawFlips(rng, Options.RandomFlips);
        var voxels = VolfCropper.Crop(src, origin, extent, size, flips);
        double low = rng.NextDouble(Options.ContrastLowMin, Options.ContrastLowMax);
        double high = rng.NextDouble(Options.ContrastHighMin, Options.ContrastHighMax);
        VolfIntensity.ContrastMap(voxels, low, high);
        double gamma = rng.NextDouble(Options.GammaMin, Options.GammaMax);
        VolfIntensity.Gamma(voxels, gamma);
        return (voxels, new VolfCrop(src.Case, origin, extent, flips, gamma, false, low, high));
    }

    private static void Invert(float[] v)
    {
        for (int i = 0; i < v.Length; i++) v[i] = 1 - v[i];
    }

    private static void Paint(byte[] label, int[] size, int[] start, int[] end, byte value)
    {
        for (int z = start[0]; z < end[0]; z++)
        for (int y = start[1]; y < end[1]; y++)
            Array.Fill(label, value, (int)(start[2] + (long)size[2] * (y + (long)size[1] * z)), end[2] - start[2]);
    }

    private VolfSample Fuse(int index, float[] bg, float[] fg, byte[] label, VolfCrop bgCrop, VolfCrop fgCrop, VolfBox[] boxes)
    {
        var image = new float[bg.Length];
        float k = Options.FusionLevels;
        for (int i = 0; i < image.Length; i++)
        {
            float alpha = label[i] / k;
            image[i] = alpha * fg[i] + (1 - alpha) * bg[i];
        }
        var size = Options.Size;
        var manifest = new VolfSampleManifest(index, VolfDatasetLayout.CaseId(index), Options.Variant.ToString().ToLowerInvariant(),
            (int[])size.Clone(), Options.FusionLevels, bgCrop, fgCrop, boxes);
        return new VolfSample
        {
            Depth = size[0], Height = size[1], Width = size[2],
            Image = image, Label = label, Background = bg, Foreground = fg, Manifest = manifest,
        };
    }
}
