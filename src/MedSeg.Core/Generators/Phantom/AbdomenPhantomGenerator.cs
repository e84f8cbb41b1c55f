using MedSeg.Core.Volumes;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// Generates SYNTHETIC abdominal CT volumes: body with fat rim and muscle wall, spine, aorta/IVC, kidneys
/// (cortex + medulla + hilum), spleen, liver, gallbladder, stomach and bowel, with per-volume pose, organ
/// size and HU jitter. Volume <c>index</c> depends only on (spec, seed, index) — byte-identical on rerun,
/// independent of which other indices are generated or on how many threads.
/// </summary>
/// <remarks>
/// Pipeline per volume: HU at the voxel centre gives the (hard) label; the HU image averages
/// <see cref="AbdomenPhantomSpec.ZSupersampling"/> sub-samples across the slice thickness (partial volume),
/// is optionally blurred in-plane, gets Gaussian noise, and is rounded and clamped to [−1024, 3071].
/// Geometry: affine diag(−sx, −sy, sz) with the volume centred on the origin, i.e. voxel x runs to the
/// patient's left and y to posterior (LPS voxel order as from DICOM), z to superior — so
/// <see cref="Preprocessing.Orientation.ToRas"/> flips x and y.
/// </remarks>
public sealed class AbdomenPhantomGenerator
{
    public const short MinHu = -1024;
    public const short MaxHu = 3071;

    private readonly AbdomenPhantomSpec _spec;
    private readonly ulong _seed;

    public AbdomenPhantomGenerator(AbdomenPhantomSpec spec, ulong seed)
    {
        _spec = (spec ?? throw new ArgumentNullException(nameof(spec))).Validated();
        _seed = seed;
    }

    public AbdomenPhantomSpec Spec => _spec;

    public AbdomenPhantomSample Generate(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Index must be >= 0.");
        var rng = DeterministicRandom.ForStream(_seed, index);
        int sx = _spec.Size[0], sy = _spec.Size[1], sz = _spec.Size[2];

        // Pose: rotation about z, shift, overall body scale.
        double maxRot = _spec.MaxRotationDegrees, maxShift = _spec.MaxTranslationFraction;
        double rotation = rng.NextDouble(-maxRot, maxRot);
        double tu = rng.NextDouble(-maxShift, maxShift), tv = rng.NextDouble(-maxShift, maxShift);
        double tw = rng.NextDouble(-2 * maxShift, 2 * maxShift);
        double bodyScale = rng.NextDouble(0.95, 1.05);
        var organScales = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var anatomy = new PhantomAnatomy(rng, _spec, organScales);
        var warpU = new SmoothField(rng, 3, 2, 4);
        var warpV = new SmoothField(rng, 3, 2, 4);
        var texture = new SmoothField(rng, 5, 4, 10);
        double textureAmplitude = _spec.TextureAmplitudeHu;

        double cos = Math.Cos(rotation * Math.PI / 180), sin = Math.Sin(rotation * Math.PI / 180);
        var labels = new byte[(long)sx * sy * sz];
        var hu = new double[labels.Length];
        int sub = _spec.ZSupersampling;

        for (int z = 0; z < sz; z++)
        {
            double wc = (z + 0.5) / sz * 2 - 1 - tw;
            for (int y = 0; y < sy; y++)
            {
                double dv = (y + 0.5) / sy * 2 - 1 - tv;
                for (int x = 0; x < sx; x++)
                {
                    double du = (x + 0.5) / sx * 2 - 1 - tu;
                    double u0 = (cos * du + sin * dv) / bodyScale;
                    double v0 = (-sin * du + cos * dv) / bodyScale;
                    // A gentle smooth warp so no two bodies share exact outlines (evaluated once per voxel).
                    double u = u0 + 0.025 * warpU.Value(u0, v0, wc);
                    double v = v0 + 0.025 * warpV.Value(u0, v0, wc);
                    long i = x + (long)sx * (y + (long)sy * z);
                    double value, weight;
                    if (sub == 1)
                    {
                        labels[i] = anatomy.Evaluate(u, v, wc, out value, out weight);
                    }
                    else
                    {
                        // Partial volume: average sub-samples across the slice thickness. The label is the
                        // voxel centre's; when all sub-samples agree it is taken from them (saves an evaluation).
                        value = 0; weight = 0;
                        int first = -1;
                        bool unanimous = true;
                        for (int s = 0; s < sub; s++)
                        {
                            double w = (z + (s + 0.5) / sub) / sz * 2 - 1 - tw;
                            byte l = anatomy.Evaluate(u, v, w, out double h, out double tWeight);
                            if (first < 0) first = l; else if (l != first) unanimous = false;
                            value += h; weight += tWeight;
                        }
                        value /= sub; weight /= sub;
                        labels[i] = unanimous ? (byte)first : anatomy.Evaluate(u, v, wc, out _, out _);
                    }
                    if (weight > 0 && textureAmplitude > 0) value += weight * textureAmplitude * texture.Value(u, v, wc);
                    hu[i] = value;
                }
            }
        }

        if (_spec.InPlaneBlur) BlurInPlane(hu, sx, sy, sz);
        var image = new short[hu.Length];
        double sigma = _spec.NoiseSigmaHu;
        for (long i = 0; i < hu.Length; i++)
        {
            double value = hu[i] + (sigma > 0 ? sigma * rng.NextGaussian() : 0);
            image[i] = (short)Math.Clamp(Math.Round(value), MinHu, MaxHu);
        }

        var spacing = _spec.Spacing.ToArray();
        var affine = AffineFor(_spec.Size, spacing);
        var manifest = new AbdomenPhantomManifest
        {
            Index = index,
            Seed = _seed,
            RotationDegrees = rotation,
            Translation = [tu, tv, tw],
            BodyScale = bodyScale,
            OrganScales = organScales,
            Hu = anatomy.Hu,
            LabelVoxels = CountLabels(labels),
        };
        return new AbdomenPhantomSample(
            new Volume(sx, sy, sz, image, spacing, affine),
            new Volume(sx, sy, sz, labels, spacing.ToArray(), affine.ToArray()),
            manifest);
    }

    /// <summary>diag(−sx, −sy, sz) with the volume's centre at world (0, 0, 0).</summary>
    public static double[] AffineFor(int[] size, double[] spacing)
    {
        double[] sign = [-1, -1, 1];
        var a = new double[16];
        for (int d = 0; d < 3; d++)
        {
            a[d * 4 + d] = sign[d] * spacing[d];
            a[d * 4 + 3] = -sign[d] * spacing[d] * (size[d] - 1) / 2.0;
        }
        a[15] = 1;
        return a;
    }

    private static SortedDictionary<string, long> CountLabels(byte[] labels)
    {
        var counts = new long[256];
        foreach (byte l in labels) counts[l]++;
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, name) in AbdomenPhantomLabels.All)
            if (id != AbdomenPhantomLabels.Background) result[name] = counts[id];
        return result;
    }

    /// <summary>Separable [1 2 1]/4 blur along x and y (edges replicate), a stand-in for the scanner's point spread.</summary>
    private static void BlurInPlane(double[] hu, int sx, int sy, int sz)
    {
        var line = new double[Math.Max(sx, sy)];
        for (int z = 0; z < sz; z++)
        {
            long plane = (long)sx * sy * z;
            for (int y = 0; y < sy; y++)
            {
                long row = plane + (long)sx * y;
                for (int x = 0; x < sx; x++) line[x] = hu[row + x];
                for (int x = 0; x < sx; x++)
                    hu[row + x] = 0.25 * line[Math.Max(x - 1, 0)] + 0.5 * line[x] + 0.25 * line[Math.Min(x + 1, sx - 1)];
            }
            for (int x = 0; x < sx; x++)
            {
                for (int y = 0; y < sy; y++) line[y] = hu[plane + x + (long)sx * y];
                for (int y = 0; y < sy; y++)
                    hu[plane + x + (long)sx * y] = 0.25 * line[Math.Max(y - 1, 0)] + 0.5 * line[y] + 0.25 * line[Math.Min(y + 1, sy - 1)];
            }
        }
    }
}
