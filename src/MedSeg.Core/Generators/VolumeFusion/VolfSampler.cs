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

    /// <summary>PyMIC 2024: two scaled, flipped, gamma-mapped views of one volume fused on a regular block grid.</summary>
    private VolfSample Pymic2024(DeterministicRandom rng, int index)
    {
        var size = Options.Size;
        int caseIndex = rng.NextInt(0, _sources.Count - 1);
        var source = _sources.Get(caseIndex);
        var (view1, crop1) = View(rng, source);
        var (view2, crop2) = View(rng, source);

        var block = new int[3];
        var offset = new int[3];
        for (int a = 0; a < 3; a++) block[a] = Math.Min(size[a], rng.NextInt(Options.BlockSizeMin[a], Options.BlockSizeMax[a]));
        for (int a = 0; a < 3; a++) offset[a] = rng.NextInt(0, block[a] - 1);
        var label = new byte[(long)size[0] * size[1] * size[2]];
        var boxes = new List<VolfBox>();
        // The grid starts one block before the offset so the first partial block is covered too.
        for (int z0 = offset[0] - block[0]; z0 < size[0]; z0 += block[0])
        for (int y0 = offset[1] - block[1]; y0 < size[1]; y0 += block[1])
        for (int x0 = offset[2] - block[2]; x0 < size[2]; x0 += block[2])
        {
            int[] s0 = [z0, y0, x0];
            var start = new int[3];
            var end = new int[3];
            for (int a = 0; a < 3; a++) { start[a] = Math.Max(0, s0[a]); end[a] = Math.Min(size[a], s0[a] + block[a]); }
            if (end[0] <= start[0] || end[1] <= start[1] || end[2] <= start[2]) continue;
            if (rng.NextDouble() >= Options.FusedFraction) continue;
            int value = rng.NextInt(1, Options.FusionLevels);
            Paint(label, size, start, end, (byte)value);
            boxes.Add(new VolfBox((int[])block.Clone(), [z0 + block[0] / 2, y0 + block[1] / 2, x0 + block[2] / 2], value, start, end));
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

    private (float[] Voxels, VolfCrop Crop) View(DeterministicRandom rng, VolfSourceVolume src)
    {
        var size = Options.Size;
        var extent = new int[3];
        for (int a = 0; a < 3; a++)
            extent[a] = Math.Max(1, (int)Math.Round(size[a] * rng.NextDouble(Options.ScaleMin, Options.ScaleMax)));
        var origin = VolfCropper.DrawOrigin(rng, [src.Depth, src.Height, src.Width], extent);
        var flips = VolfCropper.DrawFlips(rng, Options.RandomFlips);
        var voxels = VolfCropper.Crop(src, origin, extent, size, flips);
        double gamma = rng.NextDouble(Options.GammaMin, Options.GammaMax);
        bool invert = rng.NextDouble() < Options.InvertProbability;
        GammaMap(voxels, gamma, invert);
        return (voxels, new VolfCrop(src.Case, origin, extent, flips, gamma, invert));
    }

    /// <summary>Gamma on the view's own [min, max] range (kept), optionally mirrored within that range.</summary>
    private static void GammaMap(float[] v, double gamma, bool invert)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var x in v) { if (x < min) min = x; if (x > max) max = x; }
        double range = max - min;
        if (!(range > 0)) return;
        for (int i = 0; i < v.Length; i++)
        {
            double t = Math.Pow((v[i] - min) / range, gamma);
            if (invert) t = 1 - t;
            v[i] = (float)(min + t * range);
        }
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
