using System.Diagnostics;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Data;
using MedSeg.Training.Devices;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Layout;
using MedSeg.Training.Methods;
using MedSeg.Training.Optimization;
using MedSeg.Training.Progress;
using MedSeg.Training.Randomness;
using MedSeg.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Loop;

/// <summary>
/// The training loop every run type shares (every pretraining method of the <see cref="MethodCatalog"/>, fine-tuning):
/// it trains a backbone network and the method's <see cref="IMethodObjective"/> (its heads join the optimiser and the
/// checkpoints; its named loss terms reach metrics and progress) with AdamW + warm-up cosine (or Adam / StepLR,
/// <see cref="LoopSettings.Optimizer"/>, <see cref="LoopSettings.Schedule"/>),
/// gradient clipping, background batch loading, periodic validation with a best checkpoint by mean
/// foreground Dice, step checkpoints (each also a self-describing model.safetensors), exact resume,
/// metrics.csv/jsonl, status.json and <see cref="TrainingProgress"/> reports. Runs on the calling thread
/// (TorchSharp dispose scopes are per thread). Randomness: batches come from SplitMix64 streams keyed by (seed, step)
/// (no torch RNG); weight init is seeded under <see cref="GlobalTorchRandom"/>'s lock (TorchSharp module constructors only
/// use the process-wide generator); dropout and stochastic depth draw from the run's own <see cref="RunGenerator"/>,
/// saved in every checkpoint. torch's intra-op thread count (<see cref="LoopSettings.TorchThreads"/>) is process-wide.
/// </summary>
public sealed class SegmentationTrainingLoop(LoopSettings settings, LoopParts parts)
{
    private readonly LoopSettings _o = settings;
    private readonly LoopParts _p = parts;
    private ModelChoice Model => _p.Model;

    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        var run = new RunFolder(_o.OutputDir);
        var started = DateTime.UtcNow;
        int total = _o.TotalSteps;
        long step = 0;
        string? lastCheckpoint = null;
        try
        {
            run.WriteStatus(new RunStatus(RunStatus.Running, 0, total, started, started));
            run.Log($"start: model {Model.Signature}, {total} steps, axis order {_o.AxisOrder} {_o.AxisOrder.Describe()}");
            return Train(run, started, total, progress, ct, s => step = s, c => lastCheckpoint = c);
        }
        catch (Exception e)
        {
            var error = Explain(e);
            run.Log($"failed at step {step}: {error}{Environment.NewLine}{e}");
            run.WriteStatus(new RunStatus(RunStatus.Failed, step, total, started, DateTime.UtcNow, error, lastCheckpoint));
            if (e is TrainingException) throw;
            throw new TrainingException(error, e);
        }
    }

    private TrainingResult Train(RunFolder run, DateTime started, int total, IProgress<TrainingProgress>? progress,
        CancellationToken ct, Action<long> setStep, Action<string> setCheckpoint)
    {
        if (_o.TorchThreads is int threads) torch.set_num_threads(threads);
        var compute = ResolveCompute();
        var device = torch.device(compute.Device);
        var transfer = new DeviceTransfer(device);
        int warmup = _o.WarmupSteps;
        var store = new CheckpointStore(run.CheckpointsDir);
        var latest = store.Latest();
        if (latest is not null && !_o.Resume)
            throw new TrainingException($"Run folder '{run.Root}' already holds checkpoints (newest '{latest}'); pass --resume to continue it or choose a new --out.");

        // Backbone, then heads, under one seeded lock: both initialise the same way in every run with this seed.
        var (model, objective) = GlobalTorchRandom.Seeded(_o.Seed, BuildNetworks);
        using var disposeModel = model;
        using var disposeObjective = objective;
        var heads = objective.Heads;
        using var bf16 = compute.Precision == TrainingPrecision.Bf16 ? CreateBf16(objective, device) : null;
        using var random = new RunGenerator(_o.Seed);
        bool resuming = _o.Resume && latest is not null;
        if (!resuming) _p.Initialize?.Invoke(model, run);
        model.to(device);
        heads?.to(device);
        var parameters = heads is null ? model.parameters().ToArray() : model.parameters().Concat(heads.parameters()).ToArray();
        using var optimizer = CreateOptimizer(parameters);
        var schedule = CreateSchedule(warmup, total);

        long start = 0;
        double? best = null;
        long? bestStep = null;
        if (resuming)
        {
            var state = CheckpointStore.ReadState(latest!);
            CheckCompatible(state, latest!, total, warmup);
            try { CheckpointStore.LoadInto(latest!, model, optimizer, heads); }
            catch (Exception e) when (e is not TrainingException)
            {
                throw new TrainingException($"Checkpoint '{latest}' does not fit model {Model.Signature}: {e.Message}", e);
            }
            if (state.RunRngState is string runRng) random.RestoreState(runRng, $"Checkpoint '{latest}'");
            else run.Log($"checkpoint '{run.Display(latest!)}' predates per-run generators: dropout / stochastic depth continue from a freshly seeded run generator (not bit-exact)");
            start = state.Step;
            best = state.BestMetric;
            bestStep = state.BestStep;
            setCheckpoint(latest!);
            run.Log($"resumed from '{run.Display(latest!)}' at step {start}");
        }
        run.WriteConfig(WithCompute(_p.Config(compute.Device), compute));
        run.Log($"compute: device {compute.Device} (asked: {_o.Device}), {compute.Precision}, cuDNN benchmark {Switch(compute.CudnnBenchmark)}, "
                + $"TF32 {Switch(compute.AllowTf32)}, pinned batches {(compute.PinnedMemory ? "on" : "off")}, {compute.Libtorch}");

        var batches = _p.CreateBatches();
        run.Log($"data: {batches.Description}");
        // Fail fast on unusable data (e.g. a crop larger than the volumes) before spinning up workers.
        if (start < total) batches.Build(start);
        var validate = _o.ValidationEvery > 0 ? _p.Validate : null;

        using var metrics = new MetricsLog(run, start);
        using var loader = new BatchLoader(batches.Build, start, total, _o.LoaderWorkers, _o.Prefetch);
        var losses = new List<double>();
        var session = Stopwatch.StartNew();
        string? lastCheckpoint = start > 0 ? latest : null;
        string? bestCheckpoint = Directory.Exists(store.BestPath) ? store.BestPath : null;
        long lastSaved = start;
        double samplesPerSecond = 0;

        string SaveTo(string target, long completed, double? valMean)
        {
            using var rng = torch.get_rng_state();
            var state = new CheckpointState(completed, Model.Signature, _o.BatchSize, _o.Crop, _o.Seed, total, warmup,
                CheckpointStore.EncodeRng(rng), best, bestStep, DateTime.UtcNow, valMean, _o.AxisOrder, random.SaveState(), compute.Device, compute.Precision,
                _o.OptimizerRecord);
            return store.Save(target, model, optimizer, state, Model, heads);
        }

        model.train();
        heads?.train();
        bf16?.train();
        for (long s = start; s < total; s++)
        {
            if (ct.IsCancellationRequested) return Interrupt(s);
            var stepTimer = Stopwatch.StartNew();
            Batch batch;
            try { batch = loader.Take(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return Interrupt(s); }
            double lr = schedule.LearningRate(s);
            float lossValue;
            IReadOnlyDictionary<string, double>? terms;
            using (random.Activate()) (lossValue, terms) = TrainStep(model, bf16, objective, optimizer, parameters, batch, lr, transfer);
            NativeRuntime.ReleaseFreedMemory(); // the step's buffers back to the system: flat resident memory over long runs
            if (!float.IsFinite(lossValue))
                throw new TrainingException($"Loss became {lossValue} at step {s + 1} (lr {lr:0.###e+00}); lower --lr or check the data. Last good checkpoint: {lastCheckpoint ?? "none"}.");
            losses.Add(lossValue);
            long completed = s + 1;
            setStep(completed);

            IReadOnlyList<double?>? dice = null;
            string? checkpoint = null;
            if (validate is not null && (completed % _o.ValidationEvery == 0 || completed == total))
            {
                dice = validate(model, device);
                var mean = Metrics.MeanForeground(dice);
                run.Log($"step {completed}: validation Dice [{string.Join(", ", dice.Select(d => d?.ToString("F4") ?? "-"))}]");
                if (mean is double m && (best is null || m > best))
                {
                    best = m; bestStep = completed;
                    bestCheckpoint = SaveTo(store.BestPath, completed, m);
                    checkpoint = bestCheckpoint;
                }
            }
            if (completed % _o.CheckpointEvery == 0 || completed == total)
            {
                checkpoint = lastCheckpoint = SaveTo(store.StepPath(completed), completed, dice is null ? null : Metrics.MeanForeground(dice));
                lastSaved = completed;
                setCheckpoint(checkpoint);
                store.Prune(_o.KeepLast);
                run.WriteStatus(new RunStatus(RunStatus.Running, completed, total, started, DateTime.UtcNow, null, lastCheckpoint));
            }

            double seconds = stepTimer.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? _o.BatchSize / seconds : 0;
            samplesPerSecond = samplesPerSecond == 0 ? rate : 0.9 * samplesPerSecond + 0.1 * rate;
            long done = completed - start;
            var eta = TimeSpan.FromSeconds(session.Elapsed.TotalSeconds / done * (total - completed));
            var report = new TrainingProgress(completed, total, batches.Epoch(completed), lossValue, lr, samplesPerSecond,
                WaitFraction(), MemoryProbe.WorkingSetBytes(), eta, dice, checkpoint, terms);
            metrics.Append(report);
            progress?.Report(report);
        }

        run.Log($"completed {total} steps");
        var result = new TrainingResult(RunStatus.Completed, total, total, lastCheckpoint, bestCheckpoint, WaitFraction(), losses);
        _p.BeforeCompleted?.Invoke(run, result, device);
        run.WriteStatus(new RunStatus(RunStatus.Completed, total, total, started, DateTime.UtcNow, null, lastCheckpoint));
        return result;

        // Graceful stop: checkpoint the current step (unless just saved) so --resume continues exactly here.
        TrainingResult Interrupt(long s)
        {
            if (s > lastSaved) { lastCheckpoint = SaveTo(store.StepPath(s), s, null); store.Prune(_o.KeepLast); }
            run.Log($"interrupted at step {s}; checkpoint '{(lastCheckpoint is null ? "none" : run.Display(lastCheckpoint))}'");
            run.WriteStatus(new RunStatus(RunStatus.Interrupted, s, total, started, DateTime.UtcNow, null, lastCheckpoint));
            return new TrainingResult(RunStatus.Interrupted, s, total, lastCheckpoint, bestCheckpoint, WaitFraction(), losses);
        }

        double WaitFraction() => session.Elapsed.TotalSeconds > 0 ? loader.WaitTime.TotalSeconds / session.Elapsed.TotalSeconds : 0;
    }

    /// <summary>The device (resolved once, here), the process-wide CUDA switches as set, and what the run records about them.</summary>
    private ComputeReport ResolveCompute()
    {
        if (!TrainingPrecision.IsValid(_o.Precision))
            throw new TrainingException($"Precision '{_o.Precision}' is not one of: {TrainingPrecision.Fp32}, {TrainingPrecision.Bf16}.");
        string name;
        try { name = DeviceSelector.ResolveName(_o.Device); }
        catch (ArgumentException e) { throw new TrainingException(e.Message, e); }
        bool cuda = name.StartsWith("cuda", StringComparison.Ordinal);
        bool? benchmark = null, tf32 = null;
        if (cuda)
        {
            DeviceSelector.SetTf32(_o.AllowTf32);
            tf32 = _o.AllowTf32;
            benchmark = CudnnSwitches.SetBenchmark(_o.CudnnBenchmark);
        }
        return new ComputeReport(_o.Device, name, _o.Precision, benchmark, tf32, PinnedMemory: cuda,
            Natives.LibTorchLoader.Loaded?.Describe() ?? "libtorch 2.10.0 (NuGet natives)");
    }

    private static object WithCompute(object config, ComputeReport compute)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(config, JsonDefaults.Indented)!.AsObject();
        node["compute"] = System.Text.Json.JsonSerializer.SerializeToNode(compute, JsonDefaults.Indented);
        return node;
    }

    private static string Switch(bool? value) => value switch { true => "on", false => "off", null => "n/a (CPU)" };

    private optim.Optimizer CreateOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters) => _o.Optimizer switch
    {
        OptimizerKind.AdamW => new Optimization.AdamW(parameters, _o.LearningRate, _o.Beta1, _o.Beta2, _o.Eps, _o.WeightDecay),
        OptimizerKind.Adam => new Optimization.Adam(parameters, _o.LearningRate, _o.Beta1, _o.Beta2, _o.Eps, _o.WeightDecay),
        _ => throw new TrainingException($"Optimizer '{_o.Optimizer}' is not one of: {string.Join(", ", Enum.GetNames<OptimizerKind>())}."),
    };

    private ILearningRateSchedule CreateSchedule(int warmup, int total) => _o.Schedule switch
    {
        LrScheduleKind.WarmupCosine => new WarmupCosineSchedule(_o.LearningRate, warmup, total, _o.EndLr, _o.Cycles, _o.WarmupMultiplier),
        LrScheduleKind.Step => new StepLrSchedule(_o.LearningRate, _o.StepSize, _o.Gamma),
        _ => throw new TrainingException($"Schedule '{_o.Schedule}' is not one of: {string.Join(", ", Enum.GetNames<LrScheduleKind>())}."),
    };

    /// <summary>bf16 covers objectives that only call the backbone (segmentation); methods that reach into it keep fp32.</summary>
    private Bf16Backbone CreateBf16(IMethodObjective objective, Device device)
    {
        if (objective is not SegmentationObjective)
            throw new TrainingException(
                $"Precision bf16 is offered for segmentation training (FDSL, fine-tuning); this method's objective ({objective.GetType().Name}) reaches into the network and trains in fp32.");
        var working = GlobalTorchRandom.Seeded(_o.Seed, _p.BuildModel); // weights are overwritten from the master every step
        var bf16 = new Bf16Backbone(working);
        bf16.to(device);
        return bf16;
    }

    private (nn.Module<Tensor, Tensor>, IMethodObjective) BuildNetworks()
    {
        var model = _p.BuildModel();
        try { return (model, _p.CreateObjective()); }
        catch { model.Dispose(); throw; }
    }

    /// <summary>
    /// One optimiser step; every temporary tensor dies with the scope. Returns the total loss and, for a multi-term
    /// loss, each term's value (null for one term).
    /// </summary>
    private (float Loss, IReadOnlyDictionary<string, double>? Terms) TrainStep(nn.Module<Tensor, Tensor> model, Bf16Backbone? bf16,
        IMethodObjective objective, optim.Optimizer optimizer, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, Batch batch, double lr,
        DeviceTransfer transfer)
    {
        using var scope = NewDisposeScope();
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        var tensors = BatchTensors.From(batch, _o.AxisOrder, transfer);
        optimizer.zero_grad();
        bf16?.LoadFrom(model);
        bf16?.ZeroGradients();
        var loss = objective.Compute(bf16 ?? model, tensors);
        loss.Total.backward();
        bf16?.CopyGradientsTo(model);
        if (_o.MaxGradNorm is double maxNorm && maxNorm > 0)
            nn.utils.clip_grad_norm_(parameters, maxNorm);
        optimizer.step();
        float result = loss.Total.item<float>();
        Dictionary<string, double>? terms = null;
        if (loss.Terms.Count > 0)
        {
            terms = new Dictionary<string, double>(loss.Terms.Count);
            foreach (var (name, value) in loss.Terms) terms[name] = value.item<float>();
        }
        GC.KeepAlive(batch);
        return (result, terms);
    }

    private void CheckCompatible(CheckpointState state, string path, int total, int warmup)
    {
        if (state.ModelSignature != Model.Signature)
            throw new TrainingException($"Checkpoint '{path}' was written for model {state.ModelSignature}, but this run builds {Model.Signature}.");
        if (state.BatchSize != _o.BatchSize || state.Crop != _o.Crop || state.DataSeed != _o.Seed)
            throw new TrainingException(
                $"Checkpoint '{path}' was written with batch {state.BatchSize}, crop {state.Crop}, seed {state.DataSeed}; this run has batch {_o.BatchSize}, crop {_o.Crop}, seed {_o.Seed}.");
        if (state.EffectiveAxisOrder != _o.AxisOrder)
            throw new TrainingException(
                $"Checkpoint '{path}' was trained with axis order {state.EffectiveAxisOrder} (tensor axes {state.EffectiveAxisOrder.Describe()}); this run uses {_o.AxisOrder} {_o.AxisOrder.Describe()}. "
                + $"Resume with --axis-order {state.EffectiveAxisOrder.ToCliName()} or leave --axis-order out (a resume follows its checkpoint).");
        if (state.Optimizer != _o.OptimizerRecord)
            throw new TrainingException(
                $"Checkpoint '{path}' was trained with optimiser {state.Optimizer ?? "adamw + warm-up cosine"}; this run has {_o.OptimizerRecord ?? "adamw + warm-up cosine"}. Resume with the run's own optimiser and schedule.");
        if (state.TotalSteps != total || state.WarmupSteps != warmup)
            throw new TrainingException(
                $"Checkpoint '{path}' was written for a schedule of {state.TotalSteps} steps (warm-up {state.WarmupSteps}); this run has {total} (warm-up {warmup}).");
    }

    /// <summary>Turns low-level failures into something a user can act on.</summary>
    private string Explain(Exception e)
    {
        var message = e is TrainingException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        if (e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || e is OutOfMemoryException)
            return $"Out of memory on device '{_o.Device}' with batch {_o.BatchSize} and crop {_o.Crop} for {Model.Signature}; {_o.OutOfMemoryHint}. ({e.Message.Split('\n')[0]})";
        return message;
    }
}
