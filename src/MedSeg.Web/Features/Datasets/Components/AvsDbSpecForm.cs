using System.Globalization;
using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Web.Features.Datasets.Components;

/// <summary>
/// A mutable mirror of <see cref="AvsDbSpec"/> (an immutable record) for two-way binding in the create form.
/// <see cref="ToSpec"/> builds the record as a copy of the spec the form was filled from, so every field the form does
/// not show (e.g. <see cref="AvsDbSpec.AxisRotations"/>) is carried through unchanged; checking is left to
/// <see cref="AvsDbSpec.Validate"/> so the form and the generator agree on every rule.
/// </summary>
public sealed class AvsDbSpecForm
{
    /// <summary>The spec the form was filled from: the base of <see cref="ToSpec"/>.</summary>
    private AvsDbSpec source = new();

    public int VolumeSize { get; set; }
    public int ShapesPerVolume { get; set; }
    public double OverlapLimit { get; set; }
    public int MaxPlacementAttempts { get; set; }
    public int DepthMin { get; set; }
    public int DepthMax { get; set; }

    /// <summary>xy classes as text, e.g. "0, 3, 4" (0 = ellipse, n = n-gon).</summary>
    public string VertexCounts { get; set; } = "";
    public int PolygonBoxSideMin { get; set; }
    public int PolygonBoxSideMax { get; set; }
    public double PolygonMinRadius { get; set; }
    public int EllipseMaxRadiusMin { get; set; }
    public int EllipseMaxRadiusMax { get; set; }
    public double EllipseMinRadius { get; set; }
    public double AngleJitter { get; set; }
    public double RotationMin { get; set; }
    public double RotationMax { get; set; }
    public double ScaleMin { get; set; }
    public double ScaleMax { get; set; }

    public List<ZClassForm> ZClasses { get; set; } = [];

    public ImageMode Mode { get; set; }
    public double OutlineValue { get; set; }
    public int OutlineWidth { get; set; }
    public double Background { get; set; }
    public double FilledIntensityMin { get; set; }
    public double FilledIntensityMax { get; set; }
    public double BlurSigma { get; set; }
    public double NoiseSigma { get; set; }

    public static AvsDbSpecForm From(AvsDbSpec s) => new()
    {
        source = s,
        VolumeSize = s.VolumeSize, ShapesPerVolume = s.ShapesPerVolume, OverlapLimit = s.OverlapLimit,
        MaxPlacementAttempts = s.MaxPlacementAttempts, DepthMin = s.Depth.Min, DepthMax = s.Depth.Max,
        VertexCounts = string.Join(", ", s.Xy.VertexCounts),
        PolygonBoxSideMin = s.Xy.PolygonBoxSide.Min, PolygonBoxSideMax = s.Xy.PolygonBoxSide.Max,
        PolygonMinRadius = s.Xy.PolygonMinRadius,
        EllipseMaxRadiusMin = s.Xy.EllipseMaxRadius.Min, EllipseMaxRadiusMax = s.Xy.EllipseMaxRadius.Max,
        EllipseMinRadius = s.Xy.EllipseMinRadius, AngleJitter = s.Xy.AngleJitter,
        RotationMin = s.Xy.RotationDegrees.Min, RotationMax = s.Xy.RotationDegrees.Max,
        ScaleMin = s.Xy.Scale.Min, ScaleMax = s.Xy.Scale.Max,
        ZClasses = [.. s.ZClasses.Select(ZClassForm.From)],
        Mode = s.Image.Mode, OutlineValue = s.Image.OutlineValue, OutlineWidth = s.Image.OutlineWidth,
        Background = s.Image.Background, FilledIntensityMin = s.Image.FilledIntensity.Min,
        FilledIntensityMax = s.Image.FilledIntensity.Max, BlurSigma = s.Image.BlurSigma, NoiseSigma = s.Image.NoiseSigma,
    };

    /// <summary>The spec, plus parse problems the record cannot express (e.g. "VertexCounts: 'x' is not a whole number").</summary>
    public (AvsDbSpec Spec, IReadOnlyList<string> ParseErrors) ToSpec()
    {
        var errors = new List<string>();
        var vertices = new List<int>();
        foreach (var part in VertexCounts.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) vertices.Add(v);
            else errors.Add($"Xy.VertexCounts: '{part}' is not a whole number");
        }
        var spec = source with
        {
            VolumeSize = VolumeSize, ShapesPerVolume = ShapesPerVolume, OverlapLimit = OverlapLimit,
            MaxPlacementAttempts = MaxPlacementAttempts, Depth = new IntRange(DepthMin, DepthMax),
            Xy = source.Xy with
            {
                VertexCounts = [.. vertices],
                PolygonBoxSide = new IntRange(PolygonBoxSideMin, PolygonBoxSideMax), PolygonMinRadius = PolygonMinRadius,
                EllipseMaxRadius = new IntRange(EllipseMaxRadiusMin, EllipseMaxRadiusMax), EllipseMinRadius = EllipseMinRadius,
                AngleJitter = AngleJitter, RotationDegrees = new DoubleRange(RotationMin, RotationMax), Scale = new DoubleRange(ScaleMin, ScaleMax),
            },
            ZClasses = [.. ZClasses.Select(z => z.ToSpec())],
            Image = source.Image with
            {
                Mode = Mode, OutlineValue = OutlineValue, OutlineWidth = OutlineWidth, Background = Background,
                FilledIntensity = new DoubleRange(FilledIntensityMin, FilledIntensityMax), BlurSigma = BlurSigma, NoiseSigma = NoiseSigma,
            },
        };
        return (spec, errors);
    }

    /// <summary>Every problem: parse errors first, then <see cref="AvsDbSpec.Validate"/>'s.</summary>
    public IReadOnlyList<string> Validate()
    {
        var (spec, parseErrors) = ToSpec();
        return [.. parseErrors, .. spec.Validate()];
    }
}

/// <summary>One editable z class row.</summary>
public sealed class ZClassForm
{
    public ZRule Rule { get; set; }
    public double StartMin { get; set; }
    public double StartMax { get; set; }
    public double ExtremumMin { get; set; }
    public double ExtremumMax { get; set; }
    public double EndMin { get; set; }
    public double EndMax { get; set; }
    public double ExtremumPositionMin { get; set; }
    public double ExtremumPositionMax { get; set; }
    public int ExtremumMargin { get; set; }

    public static ZClassForm From(ZClassSpec z) => new()
    {
        Rule = z.Rule, StartMin = z.Start.Min, StartMax = z.Start.Max, ExtremumMin = z.Extremum.Min, ExtremumMax = z.Extremum.Max,
        EndMin = z.End.Min, EndMax = z.End.Max, ExtremumPositionMin = z.ExtremumPosition.Min,
        ExtremumPositionMax = z.ExtremumPosition.Max, ExtremumMargin = z.ExtremumMargin,
    };

    public ZClassSpec ToSpec() => new()
    {
        Rule = Rule, Start = new DoubleRange(StartMin, StartMax), Extremum = new DoubleRange(ExtremumMin, ExtremumMax),
        End = new DoubleRange(EndMin, EndMax), ExtremumPosition = new DoubleRange(ExtremumPositionMin, ExtremumPositionMax),
        ExtremumMargin = ExtremumMargin,
    };
}
