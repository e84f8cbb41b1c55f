using Bunit;
using MedSeg.Viewer;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace MedSeg.Web.Tests.Components;

/// <summary>
/// A slice viewer removed while the browser is still loading its script (a dataset page swaps its viewer when the dataset
/// completes): once the import answers, it creates no viewer with its released .NET reference — that serialisation threw
/// ObjectDisposedException and ended the circuit in a browser test — and disposes the module that arrived late.
/// </summary>
public sealed class SliceViewerDisposalTests : PortalComponentTest
{
    /// <summary>The browser side as the viewer sees it: every call recorded, disposal noted.</summary>
    private sealed class RecordingScript : IJSObjectReference
    {
        public List<string> Calls { get; } = [];
        public bool Disposed { get; private set; }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            Calls.Add(identifier);
            return ValueTask.FromResult(typeof(TValue) == typeof(IJSObjectReference) ? (TValue)(object)new RecordingScript() : default!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The browser's runtime with the module import held until the test answers it (bUnit's own answers at once).</summary>
    private sealed class HeldImportRuntime : IJSRuntime
    {
        public TaskCompletionSource<IJSObjectReference> Import { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "import" ? (TValue)await Import.Task : default!;

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    private HeldImportRuntime HoldImport()
    {
        var runtime = new HeldImportRuntime();
        Services.AddSingleton<IJSRuntime>(runtime);
        return runtime;
    }

    [Fact]
    public async Task DisposedWhileItsScriptLoads_CreatesNoViewer_AndReleasesTheLateModule()
    {
        var import = HoldImport();
        var viewer = Render<SliceViewer>(p => p.Add(c => c.ImageUrl, "/datasets/1/volumes/0/image.nii.gz"));
        await viewer.InvokeAsync(() => viewer.Instance.DisposeAsync().AsTask()); // as the renderer does when the page drops it

        var module = new RecordingScript();
        import.Import.SetResult(module);
        for (var i = 0; i < 100 && !module.Disposed; i++) await Task.Delay(20);

        Assert.DoesNotContain("createViewer", module.Calls);
        Assert.True(module.Disposed, $"the module that arrived after disposal was not released; calls: {string.Join(", ", module.Calls)}");
    }

    [Fact]
    public async Task Living_CreatesItsViewerOnce()
    {
        var import = HoldImport();
        var viewer = Render<SliceViewer>(p => p.Add(c => c.ImageUrl, "/datasets/1/volumes/0/image.nii.gz"));
        var module = new RecordingScript();
        import.Import.SetResult(module);
        for (var i = 0; i < 100 && !module.Calls.Contains("createViewer"); i++) await Task.Delay(20);

        Assert.Equal(1, module.Calls.Count(c => c == "createViewer"));
        Assert.False(module.Disposed);
        await viewer.InvokeAsync(() => viewer.Instance.DisposeAsync().AsTask());
        Assert.True(module.Disposed);
    }
}
