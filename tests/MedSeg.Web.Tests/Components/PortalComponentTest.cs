using Bunit;
using MedSeg.Web.Imaging;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MedSeg.Web.Tests.Components;

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
        Services.AddSingleton<MedSeg.Web.Runs.StepTimeProbes>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Limits));
    }

    /// <summary>The server limits components see (tests may lower them before rendering).</summary>
    protected MedSeg.Web.Options.LimitsOptions Limits { get; } = new();

    private bool popoverProviderRendered;

    /// <summary>Components with popovers (selects) need MudPopoverProvider rendered first. Call after adding services.</summary>
    protected void EnsurePopoverProvider()
    {
        if (popoverProviderRendered) return;
        Render<MudBlazor.MudPopoverProvider>();
        popoverProviderRendered = true;
    }
}
