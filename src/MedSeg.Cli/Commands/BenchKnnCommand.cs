using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Training.Networks.Nets.Context;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench knn [--size 128,128,64] [--stride 4] [--atlases 1] [--threads T]`: seconds to describe one volume with the
/// 2.5D context and the Doersch networks (random weights: the cost does not depend on them) and of the exact kNN search of one
/// target against n atlases (paper protocol).
/// </summary>
public static class BenchKnnCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Volume X,Y,Z.", DefaultValueFactory = _ => "128,128,64" };
        var stride = new Option<int>("--stride") { Description = "Descriptors at every s-th voxel (1..16).", DefaultValueFactory = _ => 4 };
        var atlases = new Option<int>("--atlases") { Description = "Atlases searched (1..9).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (1..256)." };
        var skipDoersch = new Option<bool>("--skip-doersch") { Description = "Measure the 2.5D context descriptors only." };
        var command = new Command("knn", "Descriptor extraction time per volume (2.5D context, Doersch) and one-shot kNN time.")
        {
            size, stride, atlases, threads, skipDoersch,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, output =>
        {
            var parts = parseResult.GetValue(size)!.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out int v) && v is >= 1 and <= 1024))
                throw new UsageException($"--size: '{parseResult.GetValue(size)}' is not X,Y,Z with each 1..1024");
            int[] xyz = parts.Select(int.Parse).ToArray();
            int s = parseResult.GetValue(stride), n = parseResult.GetValue(atlases);
            if (s is < 1 or > 16) throw new UsageException($"--stride: {s} is outside 1..16");
            if (n is < 1 or > 9) throw new UsageException($"--atlases: {n} is outside 1..9");
            if (parseResult.GetValue(threads) is { } t)
            {
                if (t is < 1 or > 256) throw new UsageException($"--threads: {t} is outside 1..256");
                set_num_threads(t);
            }
            var c = CultureInfo.InvariantCulture;
            var volume = Phantom(xyz[0], xyz[1], xyz[2]);
            long samples = SampledVoxels.Shape(volume, s).Aggregate(1L, (a, b) => a * b);
            output.WriteLine(string.Create(c, $"volume {xyz[0]}×{xyz[1]}×{xyz[2]}, stride {s}: {samples} descriptors per volume; torch threads {get_num_threads()}, {Environment.ProcessorCount} cores"));

            using var context = new ContextDescriptors(new ContextDescriptorNet(), "context");
            var (contextSeconds, descriptors) = Time(() => context.Describe(volume, s));
            output.WriteLine(string.Create(c, $"2.5D context (192-d): {contextSeconds:0.00} s per volume ({samples / contextSeconds:0} descriptors/s)"));
            if (!parseResult.GetValue(skipDoersch))
            {
                using var doersch = new DoerschDescriptors(new DoerschNet(), "doersch");
                var (doerschSeconds, d) = Time(() => doersch.Describe(volume, s));
                d.Dispose();
                output.WriteLine(string.Create(c, $"3D Doersch (192-d):   {doerschSeconds:0.00} s per volume ({samples / doerschSeconds:0} descriptors/s)"));
            }

            using (descriptors)
            {
                var atlas = cat(Enumerable.Repeat(descriptors, n).ToArray(), 0);
                using var labels = randint(0, 5, atlas.shape[0], dtype: ScalarType.Int64);
                var (knnSeconds, prediction) = Time(() => NearestNeighbourVote.Classify(descriptors, atlas, labels, 21, 5, normalise: false));
                prediction.Dispose();
                atlas.Dispose();
                output.WriteLine(string.Create(c, $"exact kNN (k 21, raw Euclidean): {knnSeconds:0.00} s per target against {n} atlas(es) ({samples} × {n * samples} distances)"));
            }
            return 0;
        }));
        return command;
    }

    private static (double Seconds, Tensor Result) Time(Func<Tensor> run)
    {
        var clock = Stopwatch.StartNew();
        var result = run();
        return (clock.Elapsed.TotalSeconds, result);
    }

    /// <summary>A smooth synthetic volume, z-normalised (the timing does not depend on content).</summary>
    private static SamplingVolume Phantom(int x, int y, int z)
    {
        var data = new float[(long)x * y * z];
        for (int k = 0; k < z; k++) for (int j = 0; j < y; j++) for (int i = 0; i < x; i++)
            data[i + (long)x * (j + (long)y * k)] = MathF.Sin(i * 0.1f) * MathF.Cos(j * 0.07f) + k * 0.01f;
        return new SamplingVolume(data, x, y, z);
    }
}
