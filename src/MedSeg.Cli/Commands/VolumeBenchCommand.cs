using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg volume bench [--size X,Y,Z] [--dir DIR]`: writes and reads an int16 volume as .nii and .nii.gz and
/// prints time, throughput and managed bytes allocated relative to the voxel data (the streaming claim:
/// reading allocates ≈ 1× the data, writing almost nothing).
/// </summary>
internal static class VolumeBenchCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Volume shape X,Y,Z.", DefaultValueFactory = _ => "512,512,300" };
        var dir = new Option<string?>("--dir") { Description = "Scratch directory (default: system temp)." };
        var command = new Command("bench", "Measure NIfTI read/write speed and memory on a synthetic int16 volume.") { size, dir };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, output =>
        {
            int[] shape = ParseShape(parseResult.GetRequiredValue(size));
            string scratch = Path.Combine(parseResult.GetValue(dir) ?? Path.GetTempPath(), $"medseg-bench-{Guid.NewGuid():N}");
            Directory.CreateDirectory(scratch);
            try
            {
                Run(shape, scratch, output);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            return 0;
        }));
        return command;
    }

    private static void Run(int[] shape, string scratch, TextWriter output)
    {
        var volume = Volume.Create<short>(shape[0], shape[1], shape[2]);
        var data = volume.As<short>();
        var rng = new Random(12345);
        // A smooth ramp plus noise: compresses roughly like CT, unlike all-zero or pure-noise data.
        for (long i = 0; i < data.LongLength; i++) data[i] = (short)(i % shape[0] + rng.Next(0, 16));
        double mb = data.LongLength * sizeof(short) / 1e6;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"volume {shape[0]}×{shape[1]}×{shape[2]} int16, {mb:F1} MB"));

        foreach (string ext in new[] { ".nii", ".nii.gz" })
        {
            string path = Path.Combine(scratch, "bench" + ext);
            var (writeSeconds, writeBytes) = Measure(() => NiftiWriter.Write(volume, path));
            Volume? read = null;
            var (readSeconds, readBytes) = Measure(() => read = NiftiReader.Read(path));
            bool same = read!.As<short>().AsSpan().SequenceEqual(data);
            output.WriteLine(string.Create(c,
                $"{ext,-7} write {writeSeconds:F2} s ({mb / writeSeconds:F0} MB/s, allocated {writeBytes / 1e6 / mb:F3}× data)  " +
                $"read {readSeconds:F2} s ({mb / readSeconds:F0} MB/s, allocated {readBytes / 1e6 / mb:F3}× data)  " +
                $"file {new FileInfo(path).Length / 1e6:F1} MB  {(same ? "identical" : "MISMATCH")}"));
            if (!same) throw new InvalidOperationException($"{ext}: values read back differ from those written.");
        }
    }

    private static (double Seconds, long Allocated) Measure(Action action)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static int[] ParseShape(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
            throw new UsageException($"--size must be three positive integers X,Y,Z, got '{text}'");
        return parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    }
}
