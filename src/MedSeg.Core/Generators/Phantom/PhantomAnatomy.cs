using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// One randomly drawn abdomen in normalised anatomy units: u to the patient's left, v posterior, w superior,
/// the field of view spanning −1..1 on each axis. <see cref="Evaluate"/> gives the base tissue HU (before texture, blur
/// and noise) and the label at a point. Structures are tested in priority order — body wall, spine, vessels,
/// kidneys, spleen, gallbladder, liver, stomach, muscles, then bowel/fat — so where shapes overlap the
/// earlier one wins, which keeps labels disjoint without any bookkeeping.
/// </summary>
internal sealed class PhantomAnatomy
{
    // Body outline (ellipse) and wall layers as fractions of the body's normalised radius.
    private readonly double _bodyA, _bodyB, _bodyCv, _fatInner, _muscleInner;
    private readonly SmoothField _bowel, _gas, _hepaticVessels;
    private readonly TissueHu _hu;

    // Spine: vertebral body, canal, posterior elements; discs repeat along w.
    private readonly double _spineScale, _vertebraV, _discPeriod, _discPhase;
    private readonly EllipsoidBlob _vertebralBody, _canal, _spinous, _transverseR, _transverseL;

    private readonly EllipsoidBlob _aorta, _ivc, _rightKidney, _leftKidney, _spleen, _spleenHilum,
        _gallbladder, _liverRight, _liverLeft, _stomach, _psoasR, _psoasL, _paraspinalR, _paraspinalL;

    public PhantomAnatomy(DeterministicRandom rng, AbdomenPhantomSpec spec, IDictionary<string, double> organScales)
    {
        _hu = TissueHu.Sample(rng);
        _bowel = new SmoothField(rng, 8, 13, 20);
        _gas = new SmoothField(rng, 5, 18, 28);
        _hepaticVessels = new SmoothField(rng, 5, 10, 16);

        _bodyA = rng.NextDouble(0.82, 0.9);
        _bodyB = _bodyA * rng.NextDouble(0.68, 0.78); // abdomen wider than deep
        _bodyCv = 0.02;
        _fatInner = 1 - rng.NextDouble(0.06, 0.12);
        _muscleInner = _fatInner - 0.045;

        double j = spec.OrganScaleJitter;
        double Scale(string organ)
        {
            double s = rng.NextDouble(1 - j, 1 + j);
            organScales[organ] = s;
            return s;
        }
        double Jit(double range) => rng.NextDouble(-range, range);
        SmoothField Lobes() => new(rng, 3, 1.5, 3.5);

        _spineScale = rng.NextDouble(0.92, 1.08);
        double sp = _spineScale;
        _vertebraV = 0.30 + Jit(0.02);
        _discPeriod = rng.NextDouble(0.45, 0.55);
        _discPhase = rng.NextDouble(0, 1);
        _vertebralBody = new EllipsoidBlob(0, _vertebraV, 0, 0.12 * sp, 0.095 * sp, 1e3, 0);
        _canal = new EllipsoidBlob(0, _vertebraV + 0.14 * sp, 0, 0.045 * sp, 0.04 * sp, 1e3, 0);
        _spinous = new EllipsoidBlob(0, _vertebraV + 0.24 * sp, 0, 0.022 * sp, 0.055 * sp, 1e3, 0);
        _transverseR = new EllipsoidBlob(-0.1 * sp, _vertebraV + 0.13 * sp, 0, 0.075 * sp, 0.02 * sp, 1e3, -12);
        _transverseL = new EllipsoidBlob(0.1 * sp, _vertebraV + 0.13 * sp, 0, 0.075 * sp, 0.02 * sp, 1e3, 12);
        _paraspinalR = new EllipsoidBlob(-0.11 * sp, _vertebraV + 0.22 * sp, 0, 0.09 * sp, 0.08 * sp, 1e3, 10);
        _paraspinalL = new EllipsoidBlob(0.11 * sp, _vertebraV + 0.22 * sp, 0, 0.09 * sp, 0.08 * sp, 1e3, -10);
        _psoasR = new EllipsoidBlob(-0.16 * sp, _vertebraV - 0.01, -1, 0.06 * sp, 0.07 * sp, 1.6, 0);
        _psoasL = new EllipsoidBlob(0.16 * sp, _vertebraV - 0.01, -1, 0.06 * sp, 0.07 * sp, 1.6, 0);

        double s = Scale("aorta");
        _aorta = new EllipsoidBlob(0.04 + Jit(0.01), _vertebraV - 0.15 * sp, 0, 0.055 * s, 0.055 * s, 1e3, 0);
        _ivc = new EllipsoidBlob(-0.09 + Jit(0.01), _vertebraV - 0.14 * sp, 0, 0.06, 0.04, 1e3, 0);

        s = Scale("right_kidney");
        _rightKidney = new EllipsoidBlob(-0.33 + Jit(0.03), 0.30 + Jit(0.03), -0.32 + Jit(0.08),
            0.12 * s, 0.16 * s, 0.45 * s, -25 + Jit(8), 0.06, Lobes());
        s = Scale("left_kidney");
        _leftKidney = new EllipsoidBlob(0.33 + Jit(0.03), 0.30 + Jit(0.03), -0.20 + Jit(0.08),
            0.12 * s, 0.16 * s, 0.45 * s, 25 + Jit(8), 0.06, Lobes());

        s = Scale("spleen");
        double spleenU = 0.50 + Jit(0.03), spleenV = 0.26 + Jit(0.03), spleenW = 0.45 + Jit(0.08), spleenAngle = 33 + Jit(8);
        _spleen = new EllipsoidBlob(spleenU, spleenV, spleenW, 0.13 * s, 0.26 * s, 0.38 * s, spleenAngle, 0.08, Lobes());
        // The medial (hilar) side is concave: carve a smaller ellipsoid out of it.
        double t = spleenAngle * Math.PI / 180;
        _spleenHilum = new EllipsoidBlob(spleenU - 0.12 * s * Math.Cos(t), spleenV - 0.12 * s * Math.Sin(t), spleenW,
            0.06 * s, 0.16 * s, 0.30 * s, spleenAngle);

        s = Scale("liver");
        double liverU = -0.40 + Jit(0.03), liverV = 0.0 + Jit(0.03), liverW = 0.35 + Jit(0.08);
        _liverRight = new EllipsoidBlob(liverU, liverV, liverW, 0.33 * s, 0.40 * s, 0.70 * s, Jit(8), 0.07, Lobes());
        _liverLeft = new EllipsoidBlob(liverU + 0.38 * s, liverV - 0.30 * s, liverW + 0.15, 0.28 * s, 0.15 * s, 0.40 * s,
            -10 + Jit(8), 0.08, Lobes());
        _gallbladder = new EllipsoidBlob(liverU + 0.15 * s, liverV - 0.22 * s, liverW - 0.35, 0.06, 0.08, 0.15, 20);

        _stomach = new EllipsoidBlob(0.30 + Jit(0.03), -0.18 + Jit(0.03), 0.45 + Jit(0.08), 0.19, 0.14, 0.35, 20 + Jit(10), 0.08, Lobes());
    }

    public TissueHu Hu => _hu;

    /// <summary>
    /// Label and base HU at a point; <paramref name="textureWeight"/> says how strongly the caller's smooth
    /// texture field modulates this tissue (0 for air and gas, 1 for organs), so the texture is evaluated
    /// once per voxel rather than once per sub-sample.
    /// </summary>
    public byte Evaluate(double u, double v, double w, out double hu, out double textureWeight)
    {
        textureWeight = 1;
        double bu = u / _bodyA, bv = (v - _bodyCv) / _bodyB;
        double rb = Math.Sqrt(bu * bu + bv * bv);
        if (rb > 1) { hu = TissueHu.Air; textureWeight = 0; return 0; }
        if (rb > _fatInner) { hu = _hu.Fat; return 0; }
        if (rb > _muscleInner) { hu = _hu.Muscle; return 0; }

        if (Spine(u, v, w, out hu)) { textureWeight = 2; return 0; }
        if (_aorta.Radius(u, v, w) < 1) { hu = _hu.Blood; textureWeight = 0.5; return AbdomenPhantomLabels.Aorta; }
        if (_ivc.Radius(u, v, w) < 1) { hu = _hu.Blood; textureWeight = 0.5; return 0; }

        if (Kidney(_rightKidney, +1, u, v, w, out hu, out bool rightParenchyma))
            return rightParenchyma ? AbdomenPhantomLabels.RightKidney : AbdomenPhantomLabels.Background;
        if (Kidney(_leftKidney, -1, u, v, w, out hu, out bool leftParenchyma))
            return leftParenchyma ? AbdomenPhantomLabels.LeftKidney : AbdomenPhantomLabels.Background;

        if (_spleen.Radius(u, v, w) < 1 && _spleenHilum.Radius(u, v, w) >= 1)
        {
            hu = _hu.Spleen;
            return AbdomenPhantomLabels.Spleen;
        }
        if (_gallbladder.Radius(u, v, w) < 1) { hu = _hu.Fluid; textureWeight = 0.3; return 0; }
        if (_liverRight.Radius(u, v, w) < 1 || _liverLeft.Radius(u, v, w) < 1)
        {
            // Unenhanced hepatic vessels: thin darker tubes along the zero set of a smooth field.
            double vessel = Math.Abs(_hepaticVessels.Value(u, v, w));
            hu = vessel < 0.07 ? _hu.Blood - 5 : _hu.Liver;
            return AbdomenPhantomLabels.Liver;
        }
        double rs = _stomach.Radius(u, v, w, out _, out double sy, out _);
        if (rs < 1)
        {
            // Wall, fluid contents, and an air cap on the anterior (non-dependent) side.
            if (rs > 0.85) hu = _hu.Bowel;
            else if (sy < -0.45) { hu = TissueHu.Air + 50; textureWeight = 0; }
            else { hu = _hu.Fluid; textureWeight = 0.5; }
            return 0;
        }
        if (_psoasR.Radius(u, v, w) < 1 || _psoasL.Radius(u, v, w) < 1 ||
            _paraspinalR.Radius(u, v, w) < 1 || _paraspinalL.Radius(u, v, w) < 1)
        {
            hu = _hu.Muscle;
            return 0;
        }

        // Mesentery: winding bowel loops (a band around the zero set of a smooth field) in fat;
        // gas pockets only inside loops and only in front of the retroperitoneum.
        double f = Math.Abs(_bowel.Value(u, v, w));
        double loop = 1 - SmoothStep(0.5, 0.8, f);
        hu = _hu.Fat + (_hu.Bowel - _hu.Fat) * loop;
        if (f < 0.35 && v < _vertebraV - 0.25 && _gas.Value(u, v, w) > 1.2)
        {
            hu = TissueHu.Air + 100;
            textureWeight = 0;
        }
        return 0;
    }

    private bool Spine(double u, double v, double w, out double hu)
    {
        // Position within the current vertebra (0..1); the first 18 % is the intervertebral disc.
        double phase = (w - _discPhase) / _discPeriod;
        phase -= Math.Floor(phase);
        double rv = _vertebralBody.Radius(u, v, w);
        if (rv < 1)
        {
            hu = phase < 0.18 ? _hu.Disc : rv > 0.8 ? _hu.CorticalBone : _hu.CancellousBone;
            return true;
        }
        double rc = _canal.Radius(u, v, w);
        if (rc < 1) { hu = _hu.Fluid + 15; return true; }
        bool arch = rc < 1.7 && v > _vertebraV + 0.1 * _spineScale;
        bool processes = phase > 0.3 && phase < 0.8 &&
                         (_transverseR.Radius(u, v, w) < 1 || _transverseL.Radius(u, v, w) < 1);
        if (arch || processes || _spinous.Radius(u, v, w) < 1)
        {
            hu = 0.5 * (_hu.CorticalBone + _hu.CancellousBone);
            return true;
        }
        hu = 0;
        return false;
    }

    /// <summary>Kidney: cortex (outer shell), medulla, a fat-filled hilum notch on the medial side and a perirenal fat shell (both unlabelled).</summary>
    private bool Kidney(EllipsoidBlob kidney, int medialSign, double u, double v, double w,
                        out double hu, out bool parenchyma)
    {
        double r = kidney.Radius(u, v, w, out double lx, out double ly, out double lz);
        parenchyma = false;
        if (r >= 1)
        {
            // Perirenal fat: the shell that makes kidneys stand out on unenhanced CT.
            bool perirenal = r < 1.3;
            hu = perirenal ? _hu.Fat : 0;
            return perirenal;
        }
        if (medialSign * lx > 0.35 && Math.Abs(ly) < 0.4 && Math.Abs(lz) < 0.55)
        {
            hu = 0.5 * (_hu.Fat + _hu.Fluid);
            return true;
        }
        parenchyma = true;
        hu = r > 0.72 ? _hu.KidneyCortex : _hu.KidneyMedulla;
        return true;
    }

    private static double SmoothStep(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }
}
