namespace MedSeg.Training.Tests.Support;

/// <summary>
/// Two threads forcing gen-0 collections and running finalisers non-stop: the load under which a Scalar that the
/// caller no longer references is finalised while libtorch still reads it. On this 2-core machine TorchSharp's own
/// <c>a + b</c> failed after 8,137 calls under it, and its AdamW after 592 steps.
/// </summary>
internal sealed class CollectionPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _threads;

    public CollectionPressure()
    {
        _threads = [.. Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!_stop.IsCancellationRequested) { GC.Collect(0); GC.WaitForPendingFinalizers(); }
        }, TaskCreationOptions.LongRunning))];
    }

    public void Dispose()
    {
        _stop.Cancel();
        Task.WaitAll(_threads);
        _stop.Dispose();
    }
}
