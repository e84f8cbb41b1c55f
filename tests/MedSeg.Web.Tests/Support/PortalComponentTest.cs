using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using MedSeg.Web.Features.Datasets;

namespace MedSeg.Web.Tests.Support;

/// <summary>Shared bUnit base: owns the context, MudBlazor services and loose JS interop (MudBlazor's JS is not under test).</summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-only disposables: dispose the context asynchronously before xUnit's sync Dispose.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected PortalComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<SlicePreviewRenderer>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.StepTimeProbes>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Limits));
        Services.AddSingleton<MedSeg.Web.Infrastructure.MachineMemory>(new FixedMachineMemory(1L << 40));
    }

    /// <summary>The interactive server render (the circuit is up).</summary>
    protected static readonly Microsoft.AspNetCore.Components.RendererInfo Interactive = new("Server", isInteractive: true);

    /// <summary>The server's prerender: HTML before the circuit starts.</summary>
    protected static readonly Microsoft.AspNetCore.Components.RendererInfo Prerender = new("Static", isInteractive: false);

    /// <summary>
    /// The server limits components see: the defaults, but a memory limit that does not depend on the machine running the
    /// tests (tests may lower it before rendering).
    /// </summary>
    protected MedSeg.Web.Infrastructure.Options.LimitsOptions Limits { get; } = new() { MaxRunMemoryBytes = 1L << 40 };

    /// <summary>A machine with a fixed amount of available memory, so estimates do not depend on the test machine.</summary>
    private sealed class FixedMachineMemory(long bytes) : MedSeg.Web.Infrastructure.MachineMemory
    {
        public override long? AvailableBytes() => bytes;
    }

    private bool popoverProviderRendered;

    /// <summary>Components with popovers (selects) need MudPopoverProvider rendered first. Call after adding services.</summary>
    protected void EnsurePopoverProvider()
    {
        if (popoverProviderRendered) return;
        Render<MudBlazor.MudPopoverProvider>();
        popoverProviderRendered = true;
    }
}
