using MedSeg.Core.Randomness;
namespace MedSeg.Core.Generators.Phantom;

/// <summary>
/// Mean attenuation (HU) of each tissue in one phantom volume, drawn around unenhanced abdominal CT values
/// (liver ≈ 60, spleen ≈ 50, kidney ≈ 30 with a brighter cortex, blood ≈ 40, muscle ≈ 50, fat ≈ −100).
/// </summary>
public sealed record TissueHu
{
    public const double Air = -1000;

    public double Fat { get; init; }
    public double Muscle { get; init; }
    public double Liver { get; init; }
    public double Spleen { get; init; }
    public double KidneyMedulla { get; init; }
    public double KidneyCortex { get; init; }
    public double Blood { get; init; }
    public double CancellousBone { get; init; }
    public double CorticalBone { get; init; }
    public double Disc { get; init; }
    public double Bowel { get; init; }
    public double Fluid { get; init; }

    public static TissueHu Sample(DeterministicRandom rng)
    {
        double medulla = rng.NextDouble(26, 34);
        return new TissueHu
        {
            Fat = rng.NextDouble(-110, -90),
            Muscle = rng.NextDouble(45, 55),
            Liver = rng.NextDouble(54, 66),
            Spleen = rng.NextDouble(45, 53),
            KidneyMedulla = medulla,
            KidneyCortex = medulla + rng.NextDouble(25, 45),
            Blood = rng.NextDouble(36, 44),
            CancellousBone = rng.NextDouble(400, 500),
            CorticalBone = rng.NextDouble(850, 1000),
            Disc = rng.NextDouble(70, 90),
            Bowel = rng.NextDouble(25, 40),
            Fluid = rng.NextDouble(5, 15),
        };
    }
}
