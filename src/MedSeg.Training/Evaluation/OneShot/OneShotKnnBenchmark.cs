using System.Diagnostics;
using MedSeg.Core.ContextFeatures;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Generators;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using static TorchSharp.torch;
using MedSeg.Core.Randomness;

namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>
/// One-shot kNN evaluation of a descriptor source on a labelled dataset: n atlases chosen with the seed (from split.json's
/// train list, else all cases), every target (test list, else val, else the remaining cases; at most MaxTargets) labelled
/// by kNN from the atlases' descriptors and scored per organ. Volumes are z-normalised per volume.
/// </summary>
public static class OneShotKnnBenchmark
{
    /// <param name="transferFile">Where to write the label transfer of the first target (NIfTI, its grid), or null.</param>
    public static OneShotKnnReport Run(IDescriptorSource source, OneShotKnnOptions options, string sourceName,
        string? transferFile = null, IProgress<string>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        var list = MsdCaseList.Read(options.Dataset);
        var (atlasCases, targetCases) = Choose(list, options);
        int classes = Math.Max(2, list.LabelNames.Keys.DefaultIfEmpty(1).Max() + 1);
        var organs = Enumerable.Range(0, classes).Select(c => list.LabelNames.GetValueOrDefault(c, $"label {c}")).ToList();

        var describeClock = new Stopwatch();
        var knnClock = new Stopwatch();
        int described = 0;
        int length = 0;
        var atlases = new List<DescribedVolume>();
        var scores = new List<KnnTargetScore>();
        string? transferCase = null;
        try
        {
            foreach (var c in atlasCases)
            {
                ct.ThrowIfCancellationRequested();
                atlases.Add(Describe(source, c, options.Stride, describeClock, ref described));
                length = (int)atlases[^1].Descriptors.shape[1];
                log?.Report($"atlas {c.Id}: {atlases[^1].Descriptors.shape[0]} descriptors");
            }
            var evaluator = new OneShotKnnEvaluator(options.Protocol, options.K);
            foreach (var c in targetCases)
            {
                ct.ThrowIfCancellationRequested();
                var target = Describe(source, c, options.Stride, describeClock, ref described);
                try
                {
                    knnClock.Start();
                    var transfer = evaluator.Transfer(atlases, target, classes);
                    knnClock.Stop();
                    using (transfer.SampledPrediction)
                    using (transfer.Prediction)
                    {
                        var dice = organs.Skip(1).Select((name, i) => (name, d: transfer.Dice[i + 1]))
                            .ToDictionary(p => p.name, p => double.IsNaN(p.d) ? (double?)null : p.d);
                        var present = dice.Values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
                        scores.Add(new KnnTargetScore(c.Id, dice, present.Count > 0 ? present.Average() : null));
                        log?.Report($"target {c.Id}: mean Dice {scores[^1].MeanDice:F3}");
                        if (transferFile is not null && transferCase is null)
                        {
                            WriteTransfer(transfer.Prediction, c, transferFile);
                            transferCase = c.Id;
                        }
                    }
                }
                finally
                {
                    Dispose(target);
                }
            }
        }
        finally
        {
            foreach (var a in atlases) Dispose(a);
        }

        var perOrgan = organs.Skip(1).ToDictionary(o => o, o =>
        {
            var values = scores.Select(s => s.Dice[o]).Where(v => v.HasValue).Select(v => v!.Value).ToList();
            return values.Count > 0 ? values.Average() : (double?)null;
        });
        var organMeans = perOrgan.Values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return new OneShotKnnReport(sourceName, source.Description, options, atlasCases.Select(c => c.Id).ToList(), scores, perOrgan,
            organMeans.Count > 0 ? organMeans.Average() : null, length,
            described > 0 ? describeClock.Elapsed.TotalSeconds / described : 0,
            scores.Count > 0 ? knnClock.Elapsed.TotalSeconds / scores.Count : 0,
            transferCase, transferCase is null ? null : transferFile, DateTimeOffset.UtcNow);
    }

    /// <summary>Atlases: a seeded choice of n from the train list (all cases without split.json); targets: test, else val, else the rest.</summary>
    public static (IReadOnlyList<MsdCase> Atlases, IReadOnlyList<MsdCase> Targets) Choose(MsdCaseList list, OneShotKnnOptions options)
    {
        var pool = list.Split is { Train.Count: > 0 } ? list.InSplit("train") : list.Cases;
        if (pool.Count < options.Atlases + (list.Split is null ? 1 : 0))
            throw new ArgumentException(
                $"Atlases: {options.Atlases} requested but the dataset '{list.Root}' offers {pool.Count} atlas case(s){(list.Split is null ? " and needs one left as target" : "")}.");
        var order = pool.ToArray();
        var rng = new DeterministicRandom(unchecked((ulong)options.Seed) ^ 0x6B6E6E5F6F6E65UL);
        for (int i = 0; i < options.Atlases; i++)
        {
            int j = rng.NextInt(i, order.Length - 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var atlases = order.Take(options.Atlases).ToList();
        IReadOnlyList<MsdCase> targets = list.Split is null ? [] : list.InSplit("test");
        if (targets.Count == 0 && list.Split is not null) targets = list.InSplit("val");
        if (targets.Count == 0) targets = list.Cases.Where(c => !atlases.Contains(c)).ToList();
        if (targets.Count == 0) throw new ArgumentException($"Dataset '{list.Root}' has no target case beside the {options.Atlases} atlas(es).");
        return (atlases, targets.Take(options.MaxTargets).ToList());
    }

    private static DescribedVolume Describe(IDescriptorSource source, MsdCase c, int stride, Stopwatch clock, ref int described)
    {
        var image = NiftiReader.Read(c.ImagePath);
        var label = NiftiReader.Read(c.LabelPath);
        if (image.SizeX != label.SizeX || image.SizeY != label.SizeY || image.SizeZ != label.SizeZ)
            throw new InvalidDataException($"Case {c.Id}: image {image.SizeX}×{image.SizeY}×{image.SizeZ} and label {label.SizeX}×{label.SizeY}×{label.SizeZ} differ.");
        var volume = SamplingVolume.ZNormalised(image, $"case {c.Id} image");
        clock.Start();
        var descriptors = source.Describe(volume, stride);
        clock.Stop();
        described++;
        var labels = LabelTensor(label, c.Id);
        var sampled = labels.index(TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride), TensorIndex.Slice(0, null, stride)).reshape(-1);
        if (sampled.shape[0] != descriptors.shape[0])
            throw new InvalidOperationException($"Case {c.Id}: {descriptors.shape[0]} descriptors for {sampled.shape[0]} sampled voxels.");
        return new DescribedVolume(c.Id, descriptors, sampled, labels, stride);
    }

    /// <summary>Labels [Z, Y, X] int64; negative or non-integer values are refused naming the case.</summary>
    private static Tensor LabelTensor(Volume label, string id)
    {
        var values = new long[label.VoxelCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            double v = label.GetDouble(i);
            if (!(v >= 0) || v != Math.Floor(v) || v > 255)
                throw new InvalidDataException($"Case {id}: label voxel {i} is {v}; labels must be integers 0..255.");
            values[i] = (long)v;
        }
        return tensor(values, [label.SizeZ, label.SizeY, label.SizeX]);
    }

    private static void WriteTransfer(Tensor prediction, MsdCase c, string path)
    {
        var geometry = NiftiReader.Read(c.LabelPath);
        var data = prediction.to(ScalarType.Int64).contiguous().data<long>().ToArray();
        var volume = Volume.Create<byte>(geometry.SizeX, geometry.SizeY, geometry.SizeZ, geometry.Spacing, geometry.Affine);
        var bytes = volume.As<byte>();
        for (long i = 0; i < data.LongLength; i++) bytes[i] = (byte)data[i];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        NiftiWriter.Write(volume, path);
    }

    private static void Dispose(DescribedVolume v)
    {
        v.Descriptors.Dispose();
        v.SampledLabels.Dispose();
        v.Labels.Dispose();
    }
}
