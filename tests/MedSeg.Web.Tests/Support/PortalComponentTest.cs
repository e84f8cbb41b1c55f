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
