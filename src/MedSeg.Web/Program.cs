using MedSeg.Training.Optimization;
using MedSeg.Web.Infrastructure;

// Before anything loads libtorch: glibc malloc tunables (a restart of this image, same PID), OpenMP wait policy and
// thread count.
MallocTunablesRestart.RestartIfDue(typeof(RepositoryRoot).Assembly);
NativeRuntime.Configure();

var builder = WebApplication.CreateBuilder(RepositoryRoot.CreateWebApplicationOptions(args));
// A site libtorch (Training:LibTorchPath, else MEDSEG_LIBTORCH) must be loaded before anything touches TorchSharp.
MedSeg.Training.Natives.LibTorchLoader.LoadConfigured(builder.Configuration[MedSeg.Training.Natives.LibTorchLoader.ConfigurationKey]);
if (MedSeg.Training.Natives.LibTorchLoader.MissingLibTorchWarning() is { } libTorchWarning) Console.Error.WriteLine($"warning: {libTorchWarning}");
builder.AddApplicationServices();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseApplicationPipeline();
app.MapApplicationEndpoints();

app.Run();

/// <summary>Entry point; public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
