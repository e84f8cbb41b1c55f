using System.CommandLine;
using System.Globalization;

namespace MedSeg.Cli.Commands;

/// <summary>The options of `medseg bench train --memory` (<see cref="TrainMemoryBench"/>).</summary>
internal sealed class TrainMemoryOptions
{
    private readonly Option<bool> _memory = new("--memory") { Description = "Follow resident memory of one configuration (--model, --size) over --steps steps." };
    private readonly Option<bool> _compare = new("--compare") { Description = "With --memory: run before (native tuning off) and after, each in a fresh process." };
    private readonly Option<string> _model = new("--model") { Description = "With --memory: UNETR, SwinUNETR, BasicUNet or PCTNet.", DefaultValueFactory = _ => "UNETR" };
    private readonly Option<int?> _feature = new("--feature") { Description = "With --memory: feature size (default UNETR 16, SwinUNETR 48)." };
    private readonly Option<string> _size = new("--size") { Description = "With --memory: crop edge or D,H,W.", DefaultValueFactory = _ => "64" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _memory, _compare, _model, _feature, _size }) command.Add(option);
    }

    public bool Requested(ParseResult r) => r.GetValue(_memory);

    public bool Compare(ParseResult r) => r.GetValue(_compare);

    public TrainMemoryBench.Config Read(ParseResult r, int batch, int classes, int steps, string device)
    {
        string model = r.GetValue(_model)!;
        int[] size = ShapeArgument.Parse(r.GetValue(_size), "--size", 8, 512);
        if (steps > 100_000) throw new UsageException($"--steps must be at most 100000, got {steps}");
        int feature = r.GetValue(_feature) ?? (model.Equals("SwinUNETR", StringComparison.OrdinalIgnoreCase) ? 48 : 16);
        return new TrainMemoryBench.Config(model, feature, size, batch, classes, steps, device);
    }
}
