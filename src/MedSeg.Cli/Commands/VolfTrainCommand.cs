using MedSeg.Training.Runs;
using System.CommandLine;
using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Methods.VolumeFusion;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg train volf --out RUN (--source DIR | --phantom-sources N) [--model PCTNet --model-arg k=v …] [--crop D,H,W]
/// [--batch B] [--steps N] [--seed S] [--variant paper|pymic2024] [--classes 5] [--lr 1e-3] [--optimizer adam|adamw]
/// [--schedule step|warmup-cosine] [--step-size 250] [--gamma 0.5] [--warmup N] [--val-every N] [--resume]`:
/// Volume Fusion pretraining (MIS-FM) into a run folder; Ctrl+C checkpoints and stops.
/// </summary>
public static class VolfTrainCommand
{
    public static Command Create()
    {
        var d = new VolfTrainOptions();
        var output = new Option<string>("--out") { Description = "Run folder (config.json, metrics, checkpoints, status.json).", Required = true };
        var source = new Option<string?>("--source") { Description = "Unlabelled NIfTI images: a folder or an MSD / imported dataset (imagesTr + imagesTs)." };
        var phantoms = new Option<int>("--phantom-sources") { Description = "Instead of --source: N SYNTHETIC phantom CT volumes generated in memory.", DefaultValueFactory = _ => 0 };
        var model = new Option<string>("--model") { Description = "PCTNet (default), BasicUNet, SwinUNETR or UNETR.", DefaultValueFactory = _ => d.Model };
        var modelArg = new Option<string[]>("--model-arg") { Description = "Model argument by the network's own name, key=value (repeatable), e.g. \"feature_chns=[8, 16, 32, 64, 96]\".", AllowMultipleArgumentsPerToken = true };
        var crop = new Option<string?>("--crop") { Description = "Sub-volume D,H,W (default 64,128,128)." };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => d.BatchSize };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps.", DefaultValueFactory = _ => d.Steps };
        var seed = new Option<long>("--seed") { Description = "Seed for samples and weight init.", DefaultValueFactory = _ => d.Seed };
        var variant = new Option<string?>("--variant") { Description = "paper (default) or pymic2024." };
        variant.AcceptOnlyFromAmong("paper", "pymic2024");
        var classes = new Option<int?>("--classes") { Description = "Classes incl. background (default 5: K = 4)." };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => d.LearningRate };
        var optimizer = new Option<string>("--optimizer") { Description = "adam (MIS-FM, default) or adamw.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "adamw");
        var schedule = new Option<string>("--schedule") { Description = "step (MIS-FM StepLR, default) or warmup-cosine.", DefaultValueFactory = _ => "step" };
        schedule.AcceptOnlyFromAmong("step", "warmup-cosine");
        var stepSize = new Option<int>("--step-size") { Description = "StepLR: multiply the rate by --gamma every N steps.", DefaultValueFactory = _ => d.StepSize };
        var gamma = new Option<double>("--gamma") { Description = "StepLR factor (MIS-FM: 0.5).", DefaultValueFactory = _ => d.Gamma };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up cosine: linear warm-up steps.", DefaultValueFactory = _ => d.WarmupSteps };
        var valEvery = new Option<int>("--val-every") { Description = "Validate on fixed fused samples every N steps (0 = off).", DefaultValueFactory = _ => d.ValidationEvery };
        var ckptEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps.", DefaultValueFactory = _ => d.CheckpointEvery };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N].", DefaultValueFactory = _ => d.Device };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: libtorch's)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out." };

        var command = new Command("volf", "Volume Fusion pretraining (MIS-FM): fused unlabelled sub-volumes, the network names each voxel's fusion weight.")
        {
            output, source, phantoms, model, modelArg, crop, batch, steps, seed, variant, classes, lr, optimizer, schedule, stepSize, gamma, warmup,
            valEvery, ckptEvery, device, threads, resume,
        };
        command.SetAction(async (r, ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            try
            {
                var volf = new VolfOptions();
                if (r.GetValue(crop) is { } c) volf = volf with { Size = VolfCommands.ParseTriple("--crop", c) };
                if (r.GetValue(variant) is { } v) volf = volf with { Variant = v == "paper" ? VolfVariant.Paper : VolfVariant.Pymic2024 };
                if (r.GetValue(classes) is { } k) volf = volf with { Classes = k };
                var args = new Dictionary<string, string>();
                foreach (var pair in r.GetValue(modelArg) ?? [])
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--model-arg '{pair}' is not key=value.");
                    args[pair[..eq]] = pair[(eq + 1)..];
                }
                var o = new VolfTrainOptions
                {
                    OutputDir = r.GetValue(output)!, SourceDir = r.GetValue(source), PhantomCount = r.GetValue(phantoms), Volf = volf,
                    Model = r.GetValue(model)!, ModelArgs = args, BatchSize = r.GetValue(batch), Steps = r.GetValue(steps),
                    Seed = r.GetValue(seed), LearningRate = r.GetValue(lr), ValidationEvery = r.GetValue(valEvery),
                    Optimizer = r.GetValue(optimizer) == "adamw" ? Training.Loop.OptimizerKind.AdamW : Training.Loop.OptimizerKind.Adam,
                    Schedule = r.GetValue(schedule) == "warmup-cosine" ? Training.Loop.LrScheduleKind.WarmupCosine : Training.Loop.LrScheduleKind.Step,
                    StepSize = r.GetValue(stepSize), Gamma = r.GetValue(gamma), WarmupSteps = r.GetValue(warmup),
                    CheckpointEvery = r.GetValue(ckptEvery), Device = r.GetValue(device)!, TorchThreads = r.GetValue(threads),
                    Resume = r.GetValue(resume),
                };
                var run = VolfMethod.Instance.Prepare(o);
                using var notice = ct.Register(() => stderr.WriteLine($"{Environment.NewLine}interrupt: finishing the current step and writing a checkpoint..."));
                var progress = new TrainingProgressBar(stdout);
                var result = await ForegroundRun.Start(() => run.Train(progress, ct), res =>
                {
                    if (res.State != RunStatus.Completed) stdout.WriteLine();
                    stdout.WriteLine($"{res.State}: {res.CompletedSteps}/{res.TotalSteps} steps, data-wait {res.DataWaitFraction:P1}, last checkpoint {res.LastCheckpoint ?? "-"}, best {res.BestCheckpoint ?? "-"}");
                    stdout.Flush();
                });
                return result.State == RunStatus.Completed ? 0 : 130;
            }
            catch (Exception e) when (e is TrainingException or ArgumentException or UsageException)
            {
                stderr.WriteLine();
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
