using MedSeg.Training.Runs;
using System.CommandLine;
using System.Globalization;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Weights;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg finetune --dataset DIR --out RUNDIR [--init scratch|run:DIR|safetensors:FILE] [--encoder-only] …`:
/// downstream fine-tuning with a progress bar, ending with the evaluation table of the test (or validation) cases.
/// </summary>
public static class FineTuneCommand
{
    public static Command Create()
    {
        var d = new FineTuneOptions();
        var dataset = new Option<string>("--dataset") { Description = "Imported dataset folder (dataset.json + split.json).", Required = true };
        var output = new Option<string>("--out") { Description = "Run folder (config.json, metrics, checkpoints, evaluation.json, predictions/).", Required = true };
        var config = new Option<string?>("--config") { Description = "FineTuneOptions JSON; command-line options given explicitly override it." };
        var init = new Option<string>("--init") { Description = "scratch, run:<run folder> or safetensors:<file>.", DefaultValueFactory = _ => d.Init };
        var encoderOnly = new Option<bool>("--encoder-only") { Description = "Load only the encoder from --init." };
        var model = new Option<string>("--model") { Description = "Network: SwinUNETR, UNETR or BasicUNet.", DefaultValueFactory = _ => d.Model };
        var featureSize = new Option<int>("--feature-size") { Description = "feature_size of the network.", DefaultValueFactory = _ => d.FeatureSize };
        var modelArg = new Option<string[]>("--model-arg") { Description = "Extra model argument by MONAI name, key=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var patch = new Option<int>("--patch") { Description = "Cubic patch edge (voxels); also the sliding-window roi.", DefaultValueFactory = _ => d.PatchSize };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps.", DefaultValueFactory = _ => d.Steps };
        var batch = new Option<int>("--batch") { Description = "Patches per step.", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW, warm-up cosine).", DefaultValueFactory = _ => d.LearningRate };
        var valEvery = new Option<int>("--val-every") { Description = "Sliding-window validation every N steps (0 = off).", DefaultValueFactory = _ => d.ValidationEvery };
        var seed = new Option<long>("--seed") { Description = "Seed for patches, augmentation and weight init.", DefaultValueFactory = _ => d.Seed };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => d.Device };
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 (mixed precision: bf16 forward/backward, fp32 master weights and optimizer).", DefaultValueFactory = _ => d.Precision };
        precision.AcceptOnlyFromAmong(MedSeg.Training.Devices.TrainingPrecision.Fp32, MedSeg.Training.Devices.TrainingPrecision.Bf16);
        var spacing = new Option<string?>("--spacing") { Description = "Resample to x,y,z mm (default 1.5,1.5,2.0), or 'none'." };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: libtorch's)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out." };
        var axisOrder = AxisOrderOption.Create("follow --init: the recorded order of MedSeg checkpoints (zyx for runs from before it was recorded), monai-xyz for scratch and for weights from MONAI; with --resume, the checkpoint's order");

        var command = new Command("finetune", "Fine-tune a segmentation network on a labelled dataset (split.json) and evaluate it (Dice, ASSD, HD95).")
        {
            dataset, output, config, init, encoderOnly, model, featureSize, modelArg, patch, steps, batch, lr, valEvery, seed, device, precision, spacing, threads, resume, axisOrder,
        };
        command.SetAction(async (r, ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            try
            {
                var o = r.GetValue(config) is { } path ? FineTuneOptions.FromJson(File.ReadAllText(path), path) : new FineTuneOptions();
                o.DatasetDir = r.GetValue(dataset)!;
                o.OutputDir = r.GetValue(output)!;
                T Pick<T>(Option<T> option, T current) => r.GetResult(option) is { Implicit: false } ? r.GetValue(option)! : (r.GetValue(config) is null ? r.GetValue(option)! : current);
                o.Init = Pick(init, o.Init); o.EncoderOnly = Pick(encoderOnly, o.EncoderOnly); o.Model = Pick(model, o.Model);
                o.FeatureSize = Pick(featureSize, o.FeatureSize); o.PatchSize = Pick(patch, o.PatchSize); o.Steps = Pick(steps, o.Steps);
                o.BatchSize = Pick(batch, o.BatchSize); o.LearningRate = Pick(lr, o.LearningRate); o.ValidationEvery = Pick(valEvery, o.ValidationEvery);
                o.Seed = Pick(seed, o.Seed); o.Device = Pick(device, o.Device); o.Precision = Pick(precision, o.Precision); o.Resume = r.GetValue(resume);
                if (r.GetValue(threads) is int t) o.TorchThreads = t;
                if (AxisOrderOption.Read(r, axisOrder) is { } axes) o.AxisOrder = axes;
                if (r.GetValue(spacing) is { } s) o.Preprocessing = o.Preprocessing with { TargetSpacing = ParseSpacing(s) };
                foreach (var pair in r.GetValue(modelArg) ?? [])
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--model-arg '{pair}' is not key=value.");
                    o.ModelArgs[pair[..eq]] = pair[(eq + 1)..];
                }
                var trainer = new FineTuneTrainer(o);
                stdout.WriteLine($"fine-tuning {o.Model} (init {o.Init}{(o.EncoderOnly ? ", encoder only" : "")}) on {Path.GetFullPath(o.DatasetDir)} -> {Path.GetFullPath(o.OutputDir)}");
                var progress = new TrainingProgressBar(stdout);
                using var notice = ct.Register(() => stderr.WriteLine($"{Environment.NewLine}interrupt: finishing the current step and writing a checkpoint..."));
                var result = await ForegroundRun.Start(() => trainer.Run(progress, ct), done =>
                {
                    if (done.Init is { } report) stdout.WriteLine($"init: loaded {report.Loaded.Count} tensors, kept {report.ShapeMismatches.Count} as initialised (shape differs), ignored {report.Unexpected.Count} extra");
                    var t = done.Training;
                    if (t.State != RunStatus.Completed) stdout.WriteLine();
                    stdout.WriteLine($"{t.State}: {t.CompletedSteps}/{t.TotalSteps} steps, best checkpoint {t.BestCheckpoint ?? "-"}, last {t.LastCheckpoint ?? "-"}");
                    if (done.Evaluation is { } e) EvaluationTable.Write(stdout, e);
                    stdout.Flush();
                });
                var tr = result.Training;
                return tr.State == RunStatus.Completed ? 0 : 130;
            }
            catch (Exception e) when (e is TrainingException or ArgumentException or IOException or InvalidDataException or StateDictMismatchException)
            {
                stderr.WriteLine();
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static double[]? ParseSpacing(string text)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        if (values.Length != 3 || values.Any(v => !(v > 0)))
            throw new ArgumentException($"--spacing expects three positive numbers like 1.5,1.5,2.0 or 'none', got '{text}'.");
        return values;
    }
}
