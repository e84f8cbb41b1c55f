using MedSeg.Training.Runs;
using System.CommandLine;
using MedSeg.Training.Devices;
using MedSeg.Training.Fdsl;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg train fdsl …`: FDSL pretraining into a run folder, with a progress bar; Ctrl+C checkpoints and stops.</summary>
public static class TrainCommands
{
    public static Command Create()
    {
        var train = new Command("train", "Train segmentation networks.");
        train.Add(CreateFdsl());
        train.Add(VolfTrainCommand.Create());
        train.Add(TrainContextCommands.CreateContext());
        train.Add(TrainContextCommands.CreateDoersch());
        train.Add(PretextTrainCommands.CreateLwi());
        train.Add(PretextTrainCommands.CreateSwinSsl());
        return train;
    }

    private static Command CreateFdsl()
    {
        var d = new FdslOptions();
        var output = new Option<string>("--out") { Description = "Run folder (config.json, metrics, checkpoints, status.json).", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Generated dataset folder (dataset.json + NIfTI)." };
        var spec = new Option<string?>("--spec") { Description = "AVS-DB spec JSON: generate samples on the fly (no disk I/O)." };
        var seed = new Option<long>("--seed") { Description = "Seed for data, crops and weight init.", DefaultValueFactory = _ => d.Seed };
        var model = new Option<string>("--model") { Description = "Network: SwinUNETR, UNETR or BasicUNet.", DefaultValueFactory = _ => d.Model };
        var featureSize = new Option<int>("--feature-size") { Description = "feature_size of the network.", DefaultValueFactory = _ => d.FeatureSize };
        var modelArg = new Option<string[]>("--model-arg") { Description = "Extra model argument by MONAI name, key=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var crop = new Option<int>("--crop") { Description = "Random cubic crop edge (voxels).", DefaultValueFactory = _ => d.Crop };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => d.LearningRate };
        var wd = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => d.WeightDecay };
        var warmup = new Option<int?>("--warmup") { Description = "Warm-up steps (default 10% of the steps)." };
        var steps = new Option<int?>("--steps") { Description = "Total optimiser steps (default: --epochs × samples / batch)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs when --steps is not given.", DefaultValueFactory = _ => d.Epochs };
        var samples = new Option<int>("--samples") { Description = "Training samples per epoch.", DefaultValueFactory = _ => d.Samples };
        var loss = new Option<string>("--loss") { Description = "dice or dicece.", DefaultValueFactory = _ => d.Loss };
        loss.AcceptOnlyFromAmong("dice", "dicece");
        var clip = new Option<double>("--max-grad-norm") { Description = "Gradient clipping by global norm (0 = off: the paper clips nothing; a resume must repeat its run's value).", DefaultValueFactory = _ => d.MaxGradNorm ?? 0 };
        var intensity = new Option<string?>("--input-intensity")
        {
            Description = "How images enter the network: unit (each volume scaled to 0..1, like downstream inputs) or raw (stored values, AVS-DB's 0/128 outlines). A choice, not the paper's. Default: unit; with --resume, the run's recorded rule.",
        };
        intensity.AcceptOnlyFromAmong(InputIntensity.Raw, InputIntensity.Unit);
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => d.Device };
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 (mixed precision: bf16 forward/backward, fp32 master weights and optimizer).", DefaultValueFactory = _ => d.Precision };
        precision.AcceptOnlyFromAmong(TrainingPrecision.Fp32, TrainingPrecision.Bf16);
        var cudnnBenchmark = new Option<bool>("--cudnn-benchmark") { Description = "On CUDA, autotune cuDNN convolutions for the crop shape (recorded in config.json).", DefaultValueFactory = _ => d.CudnnBenchmark };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out." };
        var ckptEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps.", DefaultValueFactory = _ => d.CheckpointEvery };
        var keepLast = new Option<int>("--keep-last") { Description = "Step checkpoints to keep (best/ is kept apart).", DefaultValueFactory = _ => d.KeepLast };
        var valEvery = new Option<int>("--val-every") { Description = "Validate every N steps (0 = off).", DefaultValueFactory = _ => d.ValidationEvery };
        var valSamples = new Option<int>("--val-samples") { Description = "Held-out validation samples.", DefaultValueFactory = _ => d.ValidationSamples };
        var workers = new Option<int>("--workers") { Description = "Batch-preparation worker tasks.", DefaultValueFactory = _ => d.LoaderWorkers };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: libtorch's)." };
        var axisOrder = AxisOrderOption.Create("monai-xyz for a new run; with --resume, the checkpoint's order");

        var command = new Command("fdsl", "FDSL pretraining on AVS-DB data (paper defaults: 96³ crops, batch 8, AdamW 1e-4, wd 1e-5, warm-up cosine, Dice loss, no clipping; choices: 10% warm-up, unit input intensity, monai-xyz axes).")
        {
            output, dataset, spec, seed, model, featureSize, modelArg, crop, batch, lr, wd, warmup, steps, epochs, samples, loss, clip,
            device, precision, cudnnBenchmark, resume, ckptEvery, keepLast, valEvery, valSamples, workers, threads, axisOrder, intensity,
        };
        command.SetAction(async (r, ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            var o = new FdslOptions
            {
                OutputDir = r.GetValue(output)!, DatasetDir = r.GetValue(dataset), SpecPath = r.GetValue(spec), Seed = r.GetValue(seed),
                Model = r.GetValue(model)!, FeatureSize = r.GetValue(featureSize), Crop = r.GetValue(crop), BatchSize = r.GetValue(batch),
                LearningRate = r.GetValue(lr), WeightDecay = r.GetValue(wd), WarmupSteps = r.GetValue(warmup), Steps = r.GetValue(steps),
                Epochs = r.GetValue(epochs), Samples = r.GetValue(samples), Loss = r.GetValue(loss)!, MaxGradNorm = r.GetValue(clip),
                Device = r.GetValue(device)!, Precision = r.GetValue(precision)!, CudnnBenchmark = r.GetValue(cudnnBenchmark), Resume = r.GetValue(resume), CheckpointEvery = r.GetValue(ckptEvery), KeepLast = r.GetValue(keepLast),
                ValidationEvery = r.GetValue(valEvery), ValidationSamples = r.GetValue(valSamples), LoaderWorkers = r.GetValue(workers),
                TorchThreads = r.GetValue(threads), InputIntensity = r.GetValue(intensity),
            };
            try
            {
                if (AxisOrderOption.Read(r, axisOrder) is { } axes) o.AxisOrder = axes;
                foreach (var pair in r.GetValue(modelArg) ?? [])
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--model-arg '{pair}' is not key=value.");
                    o.ModelArgs[pair[..eq]] = pair[(eq + 1)..];
                }
                var trainer = FdslRunFactory.Create(o);
                using var notice = ct.Register(() => stderr.WriteLine($"{Environment.NewLine}interrupt: finishing the current step and writing a checkpoint..."));
                var progress = new TrainingProgressBar(stdout);
                var result = await ForegroundRun.Start(() => trainer.Run(progress, ct), r =>
                {
                    if (r.State != RunStatus.Completed) stdout.WriteLine();
                    stdout.WriteLine($"{r.State}: {r.CompletedSteps}/{r.TotalSteps} steps, data-wait {r.DataWaitFraction:P1}, last checkpoint {r.LastCheckpoint ?? "-"}, best {r.BestCheckpoint ?? "-"}");
                    stdout.Flush();
                });
                return result.State == RunStatus.Completed ? 0 : 130;
            }
            catch (Exception e) when (e is TrainingException or ArgumentException)
            {
                stderr.WriteLine();
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
