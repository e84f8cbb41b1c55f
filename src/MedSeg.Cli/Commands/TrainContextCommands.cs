using MedSeg.Training.Runs;
using System.CommandLine;
using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Context;
using MedSeg.Training.Methods.Doersch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg train context --task heatmap|reg2d --source DIR --out RUN …` and `medseg train doersch --source DIR --out RUN …`:
/// the 2.5D context and 3D Doersch pretraining of Blendowski et al. 2019 through the shared loop (paper defaults: Adam 5e-5,
/// batch 8, 8e5 steps). Ctrl+C checkpoints, --resume continues exactly.
/// </summary>
public static class TrainContextCommands
{
    public static Command CreateContext()
    {
        var c = Common();
        var task = new Option<string>("--task") { Description = "heatmap (19×19 heat map, MSE) or reg2d (two offsets, L1).", DefaultValueFactory = _ => "heatmap" };
        var axes = new Option<string>("--axis-mapping") { Description = "paper (fixed shift out of plane) or notebook (the authors' code as written).", DefaultValueFactory = _ => "paper" };
        var command = new Command("context", "2.5D context feature pretraining (HEATMAP / REG2D, three D2D-CNNs → 192-d descriptors).") { task, axes };
        c.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            if (!TryEnum<ContextTask>(r.GetValue(task)!, out var t) || !TryEnum<ContextAxisMapping>(r.GetValue(axes)!, out var m))
            {
                r.InvocationConfiguration.Error.WriteLine($"error: --task must be heatmap or reg2d (got '{r.GetValue(task)}'), --axis-mapping paper or notebook (got '{r.GetValue(axes)}').");
                return 1;
            }
            var o = new ContextOptions
            {
                OutputDir = r.GetValue(c.Output)!, Source = r.GetValue(c.Source)!, Task = t, AxisMapping = m, Seed = r.GetValue(c.Seed),
                BatchSize = r.GetValue(c.Batch), LearningRate = r.GetValue(c.Lr), CheckpointEvery = r.GetValue(c.CheckpointEvery),
                Device = r.GetValue(c.Device)!, TorchThreads = r.GetValue(c.Threads), Resume = r.GetValue(c.Resume),
            };
            if (r.GetValue(c.Steps) is { } steps) o = o with { Steps = steps };
            return await Run(ContextMethod.Instance, o, r, ct);
        });
        return command;
    }

    public static Command CreateDoersch()
    {
        var c = Common();
        var command = new Command("doersch", "3D Doersch pretraining (25³ cubes, 6 neighbour classes, CE → 192-d descriptors).");
        c.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var o = new DoerschOptions
            {
                OutputDir = r.GetValue(c.Output)!, Source = r.GetValue(c.Source)!, Seed = r.GetValue(c.Seed), BatchSize = r.GetValue(c.Batch),
                LearningRate = r.GetValue(c.Lr), CheckpointEvery = r.GetValue(c.CheckpointEvery), Device = r.GetValue(c.Device)!,
                TorchThreads = r.GetValue(c.Threads), Resume = r.GetValue(c.Resume),
            };
            if (r.GetValue(c.Steps) is { } steps) o = o with { Steps = steps };
            return await Run(DoerschMethod.Instance, o, r, ct);
        });
        return command;
    }

    private static bool TryEnum<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && !int.TryParse(text, out _);

    private static async Task<int> Run(IPretrainingMethod method, IMethodOptions o, ParseResult r, CancellationToken ct)
    {
        var stdout = r.InvocationConfiguration.Output;
        var stderr = r.InvocationConfiguration.Error;
        try
        {
            var run = method.Prepare(o);
            using var notice = ct.Register(() => stderr.WriteLine($"{Environment.NewLine}interrupt: finishing the current step and writing a checkpoint..."));
            var progress = new TrainingProgressBar(stdout);
            var result = await ForegroundRun.Start(() => run.Train(progress, ct), res =>
            {
                if (res.State != RunStatus.Completed) stdout.WriteLine();
                stdout.WriteLine($"{res.State}: {res.CompletedSteps}/{res.TotalSteps} steps, last checkpoint {res.LastCheckpoint ?? "-"}");
                stdout.Flush();
            });
            return result.State == RunStatus.Completed ? 0 : 130;
        }
        catch (Exception e) when (e is TrainingException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private sealed record Options(Option<string> Output, Option<string> Source, Option<long> Seed, Option<int?> Steps, Option<int> Batch,
        Option<double> Lr, Option<int> CheckpointEvery, Option<string> Device, Option<int?> Threads, Option<bool> Resume)
    {
        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Output, Source, Seed, Steps, Batch, Lr, CheckpointEvery, Device, Threads, Resume }) command.Add(option);
        }
    }

    private static Options Common() => new(
        new Option<string>("--out") { Description = "Run folder.", Required = true },
        new Option<string>("--source") { Description = "Folder of unlabelled volumes (dataset folder: train+val cases; or any folder of NIfTI).", Required = true },
        new Option<long>("--seed") { Description = "Seed of weights and patch sampling.", DefaultValueFactory = _ => 0 },
        new Option<int?>("--steps") { Description = "Training steps (default 800000, the paper's iterations; 1..10000000)." },
        new Option<int>("--batch") { Description = "Pairs per step (1..256).", DefaultValueFactory = _ => 8 },
        new Option<double>("--lr") { Description = "Adam learning rate, constant.", DefaultValueFactory = _ => 5e-5 },
        new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 1000 },
        new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" },
        new Option<int?>("--threads") { Description = "torch intra-op threads (1..256)." },
        new Option<bool>("--resume") { Description = "Continue from the newest checkpoint of --out." });
}
