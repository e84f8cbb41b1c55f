namespace MedSeg.Core.Benchmarks;

/// <summary>Standard normal distribution function (Hart 1968 as given by West 2005; relative error below 1e-8 over ±10).</summary>
public static class NormalDistribution
{
    public static double Cdf(double x)
    {
        double a = Math.Abs(x), c;
        if (a > 37) c = 0;
        else
        {
            double e = Math.Exp(-a * a / 2);
            if (a < 7.07106781186547)
            {
                double b = 3.52624965998911E-02 * a + 0.700383064443688;
                b = b * a + 6.37396220353165;
                b = b * a + 33.912866078383;
                b = b * a + 112.079291497871;
                b = b * a + 221.213596169931;
                b = b * a + 220.206867912376;
                c = e * b;
                b = 8.83883476483184E-02 * a + 1.75566716318264;
                b = b * a + 16.064177579207;
                b = b * a + 86.7807322029461;
                b = b * a + 296.564248779674;
                b = b * a + 637.333633378831;
                b = b * a + 793.826512519948;
                b = b * a + 440.413735824752;
                c /= b;
            }
            else
            {
                double b = a + 0.65;
                b = a + 4 / b;
                b = a + 3 / b;
                b = a + 2 / b;
                b = a + 1 / b;
                c = e / b / 2.506628274631;
            }
        }
        return x > 0 ? 1 - c : c;
    }
}
