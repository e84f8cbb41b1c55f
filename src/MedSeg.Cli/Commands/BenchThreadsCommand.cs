using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MedSeg.Training.Optimization;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg bench threads [--model SwinUNETR --feature 12 --size 64 --steps 3]`: training-step time on a quiet machine and
/// while another process spins on one core (a shell busy loop), with the native tuning off (libgomp's spinning waits,
/// its own thread count: "before") and on (<see cref="NativeRuntime"/>: "after"). Each figure comes from a fresh child
/// process (`bench train --single`); the ratio hog ÷ quiet is what OMP_WAIT_POLICY=PASSIVE is meant to keep small.
/// </summary>
internal static class BenchThreadsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Network.", DefaultValueFactory = _ => "SwinUNETR" };
        var feature = new Option<int>("--feature") { Description = "Feature size.", DefaultValueFactory = _ => 12 };
        var size = new Option<int>("--size") { Description = "Crop edge (8..256).", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per figure after one warm-up (1..100).", DefaultValueFactory = _ => 3 };
        var command = new Command("threads", "Training-step time quiet and beside a CPU hog, native tuning off (before) and on (after).") { model, feature, size, steps };
        command.SetAction(async (r, ct) =>
        {
            var o = r.InvocationConfiguration.Output;
            int n = r.GetValue(steps), edge = r.GetValue(size);
            if (n is < 1 or > 100 || edge is < 8 or > 256)
            {
                r.InvocationConfiguration.Error.WriteLine($"error: --steps must be in 1..100 (got {n}) and --size in 8..256 (got {edge})");
                return 2;
            }
            var c = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(c, $"{r.GetValue(model)} f{r.GetValue(feature)} {edge}³, batch 1, {n} timed steps, {Environment.ProcessorCount} CPUs; hog: one busy-looping process"));
            foreach (var (label, tuning) in new[] { ("before", "off"), ("after", "on") })
            {
                var env = new Dictionary<string, string> { [NativeRuntime.SwitchVariable] = tuning };
                double quiet = (await BenchTrainCommand.MeasureInChildAsync(r.GetValue(model)!, r.GetValue(feature), edge, 1, 17, n, "cpu", ct, env)).MsPerStep;
                double hogged;
                using (CpuHog.Start()) hogged = (await BenchTrainCommand.MeasureInChildAsync(r.GetValue(model)!, r.GetValue(feature), edge, 1, 17, n, "cpu", ct, env)).MsPerStep;
                o.WriteLine(string.Create(c, $"{label,-7} quiet {quiet,8:F0} ms/step  with hog {hogged,8:F0} ms/step  ratio {hogged / quiet:F2}×"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>Another process holding one core for as long as this is not disposed.</summary>
    private sealed class CpuHog : IDisposable
    {
        private readonly Process _process;

        private CpuHog(Process process) => _process = process;

        public static CpuHog Start() =>
            new(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not start the CPU hog (/bin/sh)"));

        public void Dispose()
        {
            try { _process.Kill(); _process.WaitForExit(); }
            catch (InvalidOperationException) { } // already gone
            _process.Dispose();
        }
    }
}
