using MedSeg.Cli;
using MedSeg.Training.Natives;
using MedSeg.Training.Optimization;

// Before anything loads libtorch: glibc malloc tunables (a restart of this image, same PID), OpenMP wait policy and
// thread count.
MallocTunablesRestart.RestartIfDue(typeof(MedSegCommand).Assembly);
NativeRuntime.Configure();

// A site libtorch (MEDSEG_LIBTORCH) must be in the process before TorchSharp's first call; every command, the worker
// included, starts here. Help still prints when the libtorch setting is wrong (it needs no libtorch).
try { LibTorchLoader.LoadConfigured(); }
catch (LibTorchLoadException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    if (!args.Any(a => a is "--help" or "-h" or "-?" or "--version") && args.Length > 0) return 2;
}
if (LibTorchLoader.MissingLibTorchWarning() is { } warning) Console.Error.WriteLine($"warning: {warning}");

return await MedSegCommand.Build().Parse(args).InvokeAsync();
