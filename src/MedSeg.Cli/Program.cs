using MedSeg.Cli;
using MedSeg.Training.Optimization;

// Before anything loads libtorch: OpenMP wait policy and thread count, glibc malloc settings.
NativeRuntime.Configure();
return await MedSegCommand.Build().Parse(args).InvokeAsync();
