using System.CommandLine;
using MedSeg.Training.Layout;

namespace MedSeg.Cli.Commands;

/// <summary>`--axis-order zyx|monai-xyz`: how volumes map onto the network's tensor axes (see <see cref="AxisOrder"/>).</summary>
internal static class AxisOrderOption
{
    public static Option<string?> Create(string defaultText) => new("--axis-order")
    {
        Description = $"Tensor axis order: zyx ([N,C,Z,Y,X], buffer order) or monai-xyz ([N,C,X,Y,Z] as MONAI). Default: {defaultText}.",
    };

    /// <summary>The parsed value, or null when the option was not given.</summary>
    public static AxisOrder? Read(ParseResult r, Option<string?> option) =>
        r.GetValue(option) is { } text ? AxisOrders.Parse(text, "--axis-order") : null;
}
