using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>Crops, pads, zooms and flips a normalised source onto the sample grid (both variants).</summary>
internal static class VolfCropper
{
    /// <summary>A crop origin per axis: uniform where the source is large enough, else centred with padding.</summary>
    public static int[] DrawOrigin(DeterministicRandom rng, int[] sourceShape, int[] extent)
    {
        var origin = new int[3];
        for (int a = 0; a < 3; a++)
            origin[a] = sourceShape[a] >= extent[a] ? rng.NextInt(0, sourceShape[a] - extent[a]) : -((extent[a] - sourceShape[a]) / 2);
        return origin;
    }

    public static bool[] DrawFlips(DeterministicRandom rng, bool enabled) =>
        enabled ? [rng.NextDouble() < 0.5, rng.NextDouble() < 0.5, rng.NextDouble() < 0.5] : [false, false, false];

    /// <summary>
    /// The crop [origin, origin + extent) resampled to <paramref name="size"/> (trilinear, half-voxel centres like
    /// torch's align_corners=False; an exact copy when extent == size), voxels past the source = its minimum, then flipped.
    /// </summary>
    public static float[] Crop(VolfSourceVolume src, int[] origin, int[] extent, int[] size, bool[] flips)
    {
        int d = size[0], h = size[1], w = size[2];
        var output = new float[(long)d * h * w];
        bool exact = extent[0] == d && extent[1] == h && extent[2] == w;
        var zs = Axis(origin[0], extent[0], d);
        var ys = Axis(origin[1], extent[1], h);
        var xs = Axis(origin[2], extent[2], w);
        for (int z = 0; z < d; z++)
        {
            int oz = flips[0] ? d - 1 - z : z;
            for (int y = 0; y < h; y++)
            {
                int oy = flips[1] ? h - 1 - y : y;
                long row = (long)w * (oy + (long)h * oz);
                for (int x = 0; x < w; x++)
                {
                    int ox = flips[2] ? w - 1 - x : x;
                    output[row + ox] = exact ? Sample(src, zs[z].I0, ys[y].I0, xs[x].I0) : Trilinear(src, zs[z], ys[y], xs[x]);
                }
            }
        }
        return output;
    }

    private readonly record struct Tap(int I0, int I1, float T);

    /// <summary>Source positions (two neighbours + weight) of each output voxel along one axis.</summary>
    private static Tap[] Axis(int origin, int extent, int size)
    {
        var taps = new Tap[size];
        double scale = (double)extent / size;
        for (int i = 0; i < size; i++)
        {
            if (extent == size) { taps[i] = new Tap(origin + i, origin + i, 0); continue; }
            double p = Math.Clamp((i + 0.5) * scale - 0.5, 0, extent - 1);
            int i0 = (int)Math.Floor(p);
            int i1 = Math.Min(i0 + 1, extent - 1);
            taps[i] = new Tap(origin + i0, origin + i1, (float)(p - i0));
        }
        return taps;
    }

    private static float Sample(VolfSourceVolume s, int z, int y, int x) =>
        z < 0 || y < 0 || x < 0 || z >= s.Depth || y >= s.Height || x >= s.Width ? s.Minimum : s.At(z, y, x);

    private static float Trilinear(VolfSourceVolume s, Tap z, Tap y, Tap x)
    {
        float Lerp(float a, float b, float t) => a + (b - a) * t;
        float Row(int zz, int yy) => Lerp(Sample(s, zz, yy, x.I0), Sample(s, zz, yy, x.I1), x.T);
        float Plane(int zz) => Lerp(Row(zz, y.I0), Row(zz, y.I1), y.T);
        return Lerp(Plane(z.I0), Plane(z.I1), z.T);
    }
}
