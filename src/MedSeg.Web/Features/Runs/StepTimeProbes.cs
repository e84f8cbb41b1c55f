using System.Collections.Concurrent;
using MedSeg.Training.Estimates;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Optimization;

namespace MedSeg.Web.Features.Runs;

/// <summary>What a probe measured: one training step of batch 1 at <paramref name="ProbeCrop"/>³ on <paramref name="Device"/>.</summary>
public sealed record StepTimeMeasurement(string Device, int ProbeCrop, double ProbeMs, DateTime MeasuredUtc)
{
    /// <summary>Scaled to a run's batch and crop by voxels per step (convolutions and windowed attention grow linearly).</summary>
    public double MsPerStep(int batch, int crop) => ProbeMs * batch * Math.Pow((double)crop / ProbeCrop, 3);
}

/// <summary>
/// The run form's step-time probe: one warm-up step and one timed training step of the chosen network on the chosen
/// device, at batch 1 and a small crop (the smallest edge the network accepts of at least 32), scaled to the run's batch
/// and crop. Cached per configuration (network signature, probe crop, device) for the server's lifetime; one probe at a
/// time, so probes never crowd the training service.
/// </summary>
public sealed class StepTimeProbes
{
    private const int ProbeEdge = 32;
    private readonly ConcurrentDictionary<string, Task<StepTimeMeasurement>> cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim one = new(1, 1);

    /// <summary>The crop a probe of <paramref name="model"/> for a run of <paramref name="crop"/> uses.</summary>
    public static int ProbeCrop(string model, IReadOnlyDictionary<string, string>? args, int crop)
    {
        var multiple = Math.Max(1, ModelChoice.InputMultiple(model, args));
        var edge = (int)Math.Ceiling((double)ProbeEdge / multiple) * multiple;
        return Math.Min(crop, edge);
    }

    private static string Key(ModelChoice probe, string device) => $"{device}|{probe.Signature}";

    /// <summary>The cached measurement for this configuration, or null when it was not probed yet (or failed).</summary>
    public StepTimeMeasurement? Cached(FdslOptions o, int classes)
    {
        var (probe, _) = ProbeChoice(o, classes);
        return cache.TryGetValue(Key(probe, o.Device), out var task) && task.IsCompletedSuccessfully ? task.Result : null;
    }

    /// <summary>Measures (or returns the cached measurement of) this configuration. Throws with the reason when it cannot run.</summary>
    public Task<StepTimeMeasurement> MeasureAsync(FdslOptions o, int classes)
    {
        var (probe, crop) = ProbeChoice(o, classes);
        var key = Key(probe, o.Device);
        var task = cache.GetOrAdd(key, _ => RunAsync(probe, crop, classes, o.Device));
        // A failed probe is not cached: the next press tries again.
        if (task.IsFaulted) cache.TryRemove(new KeyValuePair<string, Task<StepTimeMeasurement>>(key, task));
        return task;
    }

    private static (ModelChoice Probe, int Crop) ProbeChoice(FdslOptions o, int classes)
    {
        var crop = ProbeCrop(o.Model, o.ModelArgs, o.Crop);
        return (ModelChoice.For(o.Model, o.FeatureSize, crop, classes, o.ModelArgs), crop);
    }

    private async Task<StepTimeMeasurement> RunAsync(ModelChoice probe, int crop, int classes, string device)
    {
        await one.WaitAsync();
        try
        {
            return await Task.Run(() =>
            {
                var dev = DeviceSelector.Resolve(device);
                var result = TrainingStepProbe.Measure(probe, crop, 1, classes, 1, dev);
                return new StepTimeMeasurement(dev.ToString(), crop, result.MsPerStep, DateTime.UtcNow);
            });
        }
        catch
        {
            cache.TryRemove(Key(probe, device), out _);
            throw;
        }
        finally { one.Release(); }
    }
}
