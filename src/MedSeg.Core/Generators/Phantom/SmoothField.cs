using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// A smooth random scalar field: a normalised sum of a few plane waves sin(k·p + φ) with random directions,
/// wave numbers in [kMin, kMax] (radians per unit) and phases. Values have mean 0 and variance about 1.
/// Cheap enough to evaluate several times per voxel, and band-limited, so it never adds voxel-scale noise.
/// </summary>
internal sealed class SmoothField
{
    private readonly double[] _kx, _ky, _kz, _phase;
    private readonly double _norm;

    public SmoothField(DeterministicRandom rng, int waves, double kMin, double kMax)
    {
        _kx = new double[waves]; _ky = new double[waves]; _kz = new double[waves]; _phase = new double[waves];
        for (int i = 0; i < waves; i++)
        {
            // Uniform direction on the sphere, then a random magnitude.
            double z = rng.NextDouble(-1, 1), a = rng.NextDouble(0, 2 * Math.PI), r = Math.Sqrt(1 - z * z);
            double k = rng.NextDouble(kMin, kMax);
            _kx[i] = k * r * Math.Cos(a); _ky[i] = k * r * Math.Sin(a); _kz[i] = k * z;
            _phase[i] = rng.NextDouble(0, 2 * Math.PI);
        }
        _norm = Math.Sqrt(2.0 / waves); // each sine has variance 1/2
    }

    public double Value(double u, double v, double w)
    {
        double sum = 0;
        for (int i = 0; i < _kx.Length; i++) sum += Math.Sin(_kx[i] * u + _ky[i] * v + _kz[i] * w + _phase[i]);
        return sum * _norm;
    }
}
