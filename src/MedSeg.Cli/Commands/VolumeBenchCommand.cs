using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg volume bench [--size X,Y,Z] [--dir DIR]`: writes and reads an int16 volume as .nii and .nii.gz and
/// prints time, throughput and managed bytes allocated relative to the voxel data (the streaming claim:
/// reading allocates ≈ 1× the data, writing almost nothing). The ".nii.gz before" row is the previous pair:
/// .NET's GZipStream at CompressionLevel.Fastest written and read sequentially; "nibabel size" is the system zlib at
/// level 1, nibabel's default compresslevel (<see cref="SystemZlib"/>). ".nii.gz after" is the default writer (parallel
/// members) and reader; "viewer form" streams that file as the portal serves it to the viewer (<see cref="NiftiBrowserGzip"/>).
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
        output.WriteLine(string.Create(c, $"volume {shape[0]}×{shape[1]}×{shape[2]} int16, {mb:F1} MB; gzip codec {NiftiWriteOptions.GzipCodecName}, {LoadAverage.Describe()}"));

        string raw = Path.Combine(scratch, "raw.nii");
        NiftiWriter.Write(volume, raw);
        byte[] rawBytes = File.ReadAllBytes(raw);
        string before = Path.Combine(scratch, "before.nii.gz");
        var (beforeWrite, _) = Measure(() =>
        {
            using var file = new FileStream(before, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(rawBytes);
        });
        double beforeCpu = _lastCpuSeconds, beforeWriteCpu = _lastCpuSeconds;
        Volume? old = null;
        var (beforeRead, _) = Measure(() => old = NiftiReader.Read(before)); // no member index: sequential GZipStream, as before
        beforeCpu += _lastCpuSeconds;
        if (!old!.As<short>().AsSpan().SequenceEqual(data)) throw new InvalidOperationException(".nii.gz before: values read back differ.");
        output.WriteLine(string.Create(c,
            $"{".nii.gz before",-14} write {beforeWrite:F2} s ({beforeWriteCpu:F2} s CPU)  read {beforeRead:F2} s ({_lastCpuSeconds:F2} s CPU)  pair {beforeWrite + beforeRead:F2} s ({beforeCpu:F2} s CPU)  file {new FileInfo(before).Length / 1e6:F1} MB  (GZipStream Fastest, sequential)"));
        long? reference = SystemZlib.CompressedSize(rawBytes, 1);
        output.WriteLine(reference is long r
            ? string.Create(c, $"{"nibabel size",-14} {r / 1e6:F1} MB (system zlib {SystemZlib.Version}, level 1 = nibabel's default compresslevel)")
            : "nibabel size   n/a (system libz.so.1 not found)");
        rawBytes = [];

        foreach (string ext in new[] { ".nii", ".nii.gz" })
        {
            string path = Path.Combine(scratch, "bench" + ext);
            var (writeSeconds, writeBytes) = Measure(() => NiftiWriter.Write(volume, path));
            double cpu = _lastCpuSeconds, writeCpu = _lastCpuSeconds;
            Volume? read = null;
            var (readSeconds, readBytes) = Measure(() => read = NiftiReader.Read(path));
            cpu += _lastCpuSeconds;
            bool same = read!.As<short>().AsSpan().SequenceEqual(data);
            output.WriteLine(string.Create(c,
                $"{ext,-7} write {writeSeconds:F2} s ({mb / writeSeconds:F0} MB/s, allocated {writeBytes / 1e6 / mb:F3}× data)  " +
                $"read {readSeconds:F2} s ({mb / readSeconds:F0} MB/s, allocated {readBytes / 1e6 / mb:F3}× data)  " +
                $"file {new FileInfo(path).Length / 1e6:F1} MB  {(same ? "identical" : "MISMATCH")}"));
            if (ext == ".nii.gz")
                output.WriteLine(FormattableString.Invariant(
                    $"{".nii.gz after",-14} write {writeSeconds:F2} s ({writeCpu:F2} s CPU)  read {readSeconds:F2} s ({_lastCpuSeconds:F2} s CPU)  pair {writeSeconds + readSeconds:F2} s ({cpu:F2} s CPU)  file {new FileInfo(path).Length / 1e6:F1} MB  ")
                    + FormattableString.Invariant($"({NiftiWriteOptions.GzipCodecName} level {NiftiWriteOptions.DefaultGzipLevel}, {NiftiWriteOptions.DefaultGzipChunkBytes >> 10} KiB members, {Environment.ProcessorCount} threads): pair {(beforeWrite + beforeRead) / (writeSeconds + readSeconds):F2}× faster")
                    + (reference is long nib ? FormattableString.Invariant($", size {100.0 * new FileInfo(path).Length / nib:F1} % of nibabel's") : ""));
            if (!same) throw new InvalidOperationException($"{ext}: values read back differ from those written.");
            if (ext == ".nii.gz") ServeOneMember(path, mb, output);
        }
        output.WriteLine($"at the end: {LoadAverage.Describe()}");
    }

    /// <summary>The portal's viewer download of the multi-member file: inflated in parallel, one member of stored blocks.</summary>
    private static void ServeOneMember(string path, double mb, TextWriter output)
    {
        long length = 0;
        var (seconds, allocated) = Measure(() =>
        {
            using var stream = NiftiBrowserGzip.OpenOneMember(path);
            if (stream is null) return;
            stream.CopyTo(Stream.Null, 1 << 16);
            length = stream.Length;
        });
        output.WriteLine(length == 0
            ? "viewer form    n/a (the file is one gzip member: served as it is)"
            : string.Create(CultureInfo.InvariantCulture,
                $"{"viewer form",-14} {seconds:F2} s ({_lastCpuSeconds:F2} s CPU, {mb / seconds:F0} MB/s, allocated {allocated / 1e6 / mb:F3}× data)  {length / 1e6:F1} MB one member of stored blocks (NiftiBrowserGzip)"));
    }

    private static (double Seconds, long Allocated) Measure(Action action)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        _lastCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    // CPU seconds of the last Measure (on a loaded machine wall time depends on the other load).
    private static double _lastCpuSeconds;

    private static int[] ParseShape(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
            throw new UsageException($"--size must be three positive integers X,Y,Z, got '{text}'");
        return parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    }
}
