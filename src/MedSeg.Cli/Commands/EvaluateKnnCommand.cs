using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MedSeg.Training.Evaluation.OneShot;
using MedSeg.Training.Optimization;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg evaluate knn --run RUN --dataset DIR --atlases N [--protocol paper|dense] [--seed S] [--json]`: one-shot kNN label
/// transfer with the descriptors of a run (2.5D context, Doersch, or any pretrained encoder), scored per organ. When RUN is
/// a run folder the report and the first target's label transfer are kept in RUN/knn/.
/// </summary>
public static class EvaluateKnnCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run folder or model.safetensors giving the descriptors.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Labelled dataset folder (MSD layout, split.json optional).", Required = true };
        var atlases = new Option<int>("--atlases") { Description = "Labelled atlases n (1..9), chosen with --seed.", DefaultValueFactory = _ => 1 };
        var protocol = new Option<string>("--protocol") { Description = "paper (raw Euclidean, Dice at the sampled voxels) or dense (normalised, full-resolution Dice).", DefaultValueFactory = _ => "paper" };
        var seed = new Option<long>("--seed") { Description = "Seed of the atlas choice.", DefaultValueFactory = _ => 0 };
        var stride = new Option<int>("--stride") { Description = "Descriptors at every s-th voxel (1..16).", DefaultValueFactory = _ => 4 };
        var k = new Option<int>("--k") { Description = "Neighbours voting (1..1000).", DefaultValueFactory = _ => 21 };
        var maxTargets = new Option<int>("--max-targets") { Description = "At most this many targets (1..10000).", DefaultValueFactory = _ => 50 };
        var features = new Option<string?>("--features") { Description = "Encoder feature map: output, output:M, input:M, hidden:M:I (default: before the output convolution)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (1..256)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("knn", "One-shot kNN label transfer with a run's descriptors (Blendowski et al. 2019 protocol by default).")
        {
            run, dataset, atlases, protocol, seed, stride, k, maxTargets, features, device, threads, json,
        };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, output =>
        {
            var protocolText = parseResult.GetValue(protocol)!;
            if (!Enum.TryParse<KnnProtocol>(protocolText, ignoreCase: true, out var parsedProtocol) || int.TryParse(protocolText, out _))
                throw new UsageException($"--protocol: '{protocolText}' is not paper or dense");
            var options = new OneShotKnnOptions
            {
                Dataset = parseResult.GetRequiredValue(dataset),
                Atlases = parseResult.GetValue(atlases),
                Seed = parseResult.GetValue(seed),
                Protocol = parsedProtocol,
                Stride = parseResult.GetValue(stride),
                K = parseResult.GetValue(k),
                MaxTargets = parseResult.GetValue(maxTargets),
                Features = parseResult.GetValue(features),
            };
            var problems = options.Problems();
            if (problems.Count > 0) throw new UsageException(string.Join(" ", problems));
            if (parseResult.GetValue(threads) is { } t)
            {
                if (t is < 1 or > 256) throw new UsageException($"--threads: {t} is outside 1..256");
                TorchSharp.torch.set_num_threads(t);
            }
            var runPath = parseResult.GetRequiredValue(run);
            bool isFolder = Directory.Exists(runPath);
            OneShotKnnReport report;
            try
            {
                using var source = DescriptorSources.FromRun(runPath, options.Features, DeviceSelector.Resolve(parseResult.GetValue(device)));
                var log = parseResult.GetValue(json) ? null : new Progress<string>(line => output.WriteLine(line));
                report = OneShotKnnBenchmark.Run(source, options, runPath,
                    isFolder ? OneShotKnnStore.TransferPath(runPath, options) : null, log);
            }
            catch (InvalidDataException e)
            {
                throw new UsageException(e.Message);
            }
            if (isFolder) OneShotKnnStore.Save(runPath, report);
            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(report, OneShotKnnStore.Json) : AsTable(report));
            return 0;
        }));
        return command;
    }

    private static string AsTable(OneShotKnnReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        w.WriteLine($"descriptors: {r.Descriptor}");
        w.WriteLine($"protocol:    {r.Options.Protocol.ToString().ToLowerInvariant()} (stride {r.Options.Stride}, k {r.Options.K}, exact search)");
        w.WriteLine($"atlases:     {string.Join(", ", r.AtlasCases)} (seed {r.Options.Seed})");
        w.WriteLine($"targets:     {r.Targets.Count}");
        foreach (var (organ, dice) in r.DicePerOrgan)
            w.WriteLine($"  {organ,-16} {(dice is { } d ? d.ToString("0.0000", c) : "n/a"),8}");
        w.WriteLine($"  {"mean",-16} {(r.MeanDice is { } m ? m.ToString("0.0000", c) : "n/a"),8}");
        w.Write(string.Create(c, $"time: descriptors {r.DescriptorSecondsPerVolume:0.###} s/volume, kNN {r.KnnSecondsPerTarget:0.###} s/target"));
        return w.ToString();
    }
}
