using MedSeg.Training.Runs;
using System.CommandLine;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg train lwi …` and `medseg train swin-ssl …`: the self-supervised methods through the shared loop (same run
/// folder, exact --resume, per-term metrics loss_rec / loss_order / loss_rot / loss_contrast). Defaults come from the
/// options records; every problem is listed, naming the option.
/// </summary>
public static class PretextTrainCommands
{
    public static Command CreateLwi()
    {
        var d = new LwiOptions();
        var c = new Common(d.BatchSize, d.Steps, d.LearningRate, d.WeightDecay, d.CheckpointEvery, d.Samples);
        var dataset = new Option<string>("--dataset") { Description = "Dataset folder with dataset.json (imported dataset, phantom, AVS-DB); labels unused.", Required = true };
        var model = new Option<string>("--model") { Description = "UNETR (paper) or SwinUNETR.", DefaultValueFactory = _ => d.Model };
        var featureSize = new Option<int>("--feature-size") { Description = "feature_size of the network.", DefaultValueFactory = _ => d.FeatureSize };
        var crop = new Option<int>("--crop") { Description = "Cubic crop edge.", DefaultValueFactory = _ => d.Crop };
        var chunks = new Option<int?>("--chunks") { Description = "Depth chunks (default crop/16 for UNETR, crop/32 for SwinUNETR: 6 / 3 at 96³)." };
        var maskRatio = new Option<double>("--mask-ratio") { Description = "Fraction of cubes zeroed.", DefaultValueFactory = _ => d.MaskRatio };
        var maskPatch = new Option<int>("--mask-patch") { Description = "Mask cube edge.", DefaultValueFactory = _ => d.MaskPatch };
        var variant = new Option<string>("--variant") { Description = "paper (per-sample draws, pool per shuffled chunk) or code-compatible (authors' code).", DefaultValueFactory = _ => d.Variant };
        var recWeight = new Option<double>("--rec-weight") { Description = "α1 (reconstruction).", DefaultValueFactory = _ => d.RecWeight };
        var orderWeight = new Option<double>("--order-weight") { Description = "α2 (order).", DefaultValueFactory = _ => d.OrderWeight };
        var window = new Option<string>("--window") { Description = "Intensity window min,max → [0, 1], or none.", DefaultValueFactory = _ => d.IntensityWindow };
        var command = new Command("lwi", "LWI self-supervised initialisation (shuffle + mask; paper defaults: UNETR 96³, 6 chunks, 40 % of 16³ cubes, AdamW 1e-4).")
        {
            dataset, model, featureSize, crop, chunks, maskRatio, maskPatch, variant, recWeight, orderWeight, window,
        };
        c.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var o = new LwiOptions
            {
                DatasetDir = r.GetValue(dataset), Model = r.GetValue(model)!, FeatureSize = r.GetValue(featureSize), Crop = r.GetValue(crop),
                Chunks = r.GetValue(chunks), MaskRatio = r.GetValue(maskRatio), MaskPatch = r.GetValue(maskPatch), Variant = r.GetValue(variant)!,
                RecWeight = r.GetValue(recWeight), OrderWeight = r.GetValue(orderWeight), IntensityWindow = r.GetValue(window)!,
            };
            return await c.Run(r, ct, o, (x, v) => x with
            {
                OutputDir = v.Out, Resume = v.Resume, Seed = v.Seed, BatchSize = v.Batch, Steps = v.Steps, WarmupSteps = v.Warmup,
                LearningRate = v.Lr, WeightDecay = v.WeightDecay, CheckpointEvery = v.CheckpointEvery, Samples = v.Samples,
                Device = v.Device, TorchThreads = v.Threads, ModelArgs = v.ModelArgs, AxisOrder = v.AxisOrder ?? x.AxisOrder,
            });
        });
        return command;
    }

    public static Command CreateSwinSsl()
    {
        var d = new SwinSslOptions();
        var c = new Common(d.BatchSize, d.Steps, d.LearningRate, d.WeightDecay, d.CheckpointEvery, d.Samples);
        var source = new Option<string>("--source") { Description = "Folder with dataset.json (imported dataset, phantom, AVS-DB); labels unused.", Required = true };
        var featureSize = new Option<int>("--feature-size") { Description = "SwinUNETR feature_size (48: 768-wide heads).", DefaultValueFactory = _ => d.FeatureSize };
        var crop = new Option<int>("--crop") { Description = "Cubic crop edge (multiple of 32, ≥ 64).", DefaultValueFactory = _ => d.Crop };
        var temperature = new Option<double>("--temperature") { Description = "NT-Xent temperature.", DefaultValueFactory = _ => d.Temperature };
        var window = new Option<string>("--window") { Description = "Intensity window min,max → [0, 1], or none.", DefaultValueFactory = _ => d.IntensityWindow };
        var command = new Command("swin-ssl", "Swin UNETR self-supervision (rotation + NT-Xent + inpainting; AdamW 4e-4, wd 0.1, 500 warm-up steps).")
        {
            source, featureSize, crop, temperature, window,
        };
        c.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var o = new SwinSslOptions
            {
                SourceDir = r.GetValue(source), FeatureSize = r.GetValue(featureSize), Crop = r.GetValue(crop),
                Temperature = r.GetValue(temperature), IntensityWindow = r.GetValue(window)!,
            };
            return await c.Run(r, ct, o, (x, v) => x with
            {
                OutputDir = v.Out, Resume = v.Resume, Seed = v.Seed, BatchSize = v.Batch, Steps = v.Steps, WarmupSteps = v.Warmup ?? x.WarmupSteps,
                LearningRate = v.Lr, WeightDecay = v.WeightDecay, CheckpointEvery = v.CheckpointEvery, Samples = v.Samples,
                Device = v.Device, TorchThreads = v.Threads, ModelArgs = v.ModelArgs, AxisOrder = v.AxisOrder ?? x.AxisOrder,
            });
        });
        return command;
    }

    /// <summary>The values of the options both commands share.</summary>
    private sealed record Values(string Out, bool Resume, long Seed, int Batch, int Steps, int? Warmup, double Lr, double WeightDecay,
        int CheckpointEvery, int Samples, string Device, int? Threads, Dictionary<string, string> ModelArgs, MedSeg.Training.Layout.AxisOrder? AxisOrder);

    /// <summary>Options both commands share, with the method's defaults.</summary>
    private sealed class Common(int batch, int steps, double lr, double wd, int checkpointEvery, int samples)
    {
        private readonly Option<string> _out = new("--out") { Description = "Run folder (config.json, metrics, checkpoints, status.json).", Required = true };
        private readonly Option<bool> _resume = new("--resume") { Description = "Continue from the newest checkpoint in --out." };
        private readonly Option<long> _seed = new("--seed") { Description = "Seed for crops, shuffles, masks and weight init.", DefaultValueFactory = _ => 0 };
        private readonly Option<int> _batch = new("--batch") { Description = "Crops per step.", DefaultValueFactory = _ => batch };
        private readonly Option<int> _steps = new("--steps") { Description = "Optimiser steps.", DefaultValueFactory = _ => steps };
        private readonly Option<int?> _warmup = new("--warmup") { Description = "Warm-up steps (linear, then cosine)." };
        private readonly Option<double> _lr = new("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => lr };
        private readonly Option<double> _wd = new("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => wd };
        private readonly Option<int> _ckpt = new("--checkpoint-every") { Description = "Checkpoint every N steps.", DefaultValueFactory = _ => checkpointEvery };
        private readonly Option<int> _samples = new("--samples") { Description = "Training volumes used at most.", DefaultValueFactory = _ => samples };
        private readonly Option<string> _device = new("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => "auto" };
        private readonly Option<int?> _threads = new("--threads") { Description = "torch intra-op threads." };
        private readonly Option<string[]> _modelArg = new("--model-arg") { Description = "Extra model argument by MONAI name, key=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string?> _axis = AxisOrderOption.Create("zyx");

        public void AddTo(Command command)
        {
            foreach (var o in new Option[] { _out, _resume, _seed, _batch, _steps, _warmup, _lr, _wd, _ckpt, _samples, _device, _threads, _modelArg, _axis })
                command.Add(o);
        }

        public async Task<int> Run<T>(ParseResult r, CancellationToken ct, T initial, Func<T, Values, T> apply) where T : IMethodOptions
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            try
            {
                var args = new Dictionary<string, string>();
                foreach (var pair in r.GetValue(_modelArg) ?? [])
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--model-arg '{pair}' is not key=value.");
                    args[pair[..eq]] = pair[(eq + 1)..];
                }
                var values = new Values(r.GetValue(_out)!, r.GetValue(_resume), r.GetValue(_seed), r.GetValue(_batch), r.GetValue(_steps),
                    r.GetValue(_warmup), r.GetValue(_lr), r.GetValue(_wd), r.GetValue(_ckpt), r.GetValue(_samples), r.GetValue(_device)!,
                    r.GetValue(_threads), args, AxisOrderOption.Read(r, _axis));
                var o = apply(initial, values);
                if (o.Problems() is { Count: > 0 } problems)
                {
                    foreach (var p in problems) stderr.WriteLine($"error: {p}");
                    return 2;
                }
                var method = MethodCatalog.Default.All.First(m => m.OptionsType == typeof(T));
                var run = method.Prepare(o);
                using var notice = ct.Register(() => stderr.WriteLine($"{Environment.NewLine}interrupt: finishing the current step and writing a checkpoint..."));
                var progress = new TrainingProgressBar(stdout);
                var result = await ForegroundRun.Start(() => run.Train(progress, ct), res =>
                {
                    if (res.State != RunStatus.Completed) stdout.WriteLine();
                    stdout.WriteLine($"{res.State}: {res.CompletedSteps}/{res.TotalSteps} steps, data-wait {res.DataWaitFraction:P1}, last checkpoint {res.LastCheckpoint ?? "-"}");
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
    }
}
