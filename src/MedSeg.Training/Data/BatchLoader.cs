using System.Diagnostics;
using System.Threading.Channels;

namespace MedSeg.Training.Data;

/// <summary>
/// Prepares batches ahead of the training loop: a dispatcher queues one task per step, in step order,
/// into a bounded channel (the prefetch depth); at most <c>workers</c> of them run at once. Each batch is
/// a pure function of its step index, so the sequence is identical whatever the timing — and on resume.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly Channel<Task<Batch>> _queue;
    private readonly CancellationTokenSource _cts = new();
    private readonly SemaphoreSlim _workers;
    private readonly Task _dispatcher;
    private readonly Func<long, Batch> _prepare;
    private long _nextStep;
    private long _waitTicks;

    public BatchLoader(Func<long, Batch> prepare, long firstStep, long endStep, int workers = 2, int prefetch = 4)
    {
        if (workers < 1) throw new ArgumentException($"BatchLoader: workers must be ≥ 1, got {workers}.");
        if (prefetch < 1) throw new ArgumentException($"BatchLoader: prefetch must be ≥ 1, got {prefetch}.");
        _prepare = prepare;
        _nextStep = firstStep;
        _workers = new SemaphoreSlim(workers);
        _queue = Channel.CreateBounded<Task<Batch>>(new BoundedChannelOptions(prefetch) { SingleReader = true, SingleWriter = true });
        _dispatcher = Task.Run(() => DispatchAsync(firstStep, endStep, _cts.Token));
    }

    /// <summary>Total time the consumer spent blocked in <see cref="Take"/>.</summary>
    public TimeSpan WaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>Blocks until the next step's batch is ready; rethrows a preparation error.</summary>
    public Batch Take(CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            var task = _queue.Reader.ReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
            var batch = task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
            if (batch.Step != _nextStep) throw new InvalidOperationException($"BatchLoader delivered step {batch.Step}, expected {_nextStep}.");
            _nextStep++;
            return batch;
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"BatchLoader has no batch for step {_nextStep} (past the end of its range).");
        }
        finally
        {
            Interlocked.Add(ref _waitTicks, sw.Elapsed.Ticks);
        }
    }

    private async Task DispatchAsync(long first, long end, CancellationToken ct)
    {
        try
        {
            for (long step = first; step < end && !ct.IsCancellationRequested; step++)
            {
                long s = step;
                var work = Task.Run(async () =>
                {
                    await _workers.WaitAsync(ct).ConfigureAwait(false);
                    try { return _prepare(s); }
                    finally { _workers.Release(); }
                }, ct);
                await _queue.Writer.WriteAsync(work, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
        finally { _queue.Writer.TryComplete(); }
    }

    public void Dispose()
    {
        _cts.Cancel();
        try { _dispatcher.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        // Let in-flight preparations finish before their buffers and semaphore go away.
        while (_queue.Reader.TryRead(out var t)) { try { t.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { } }
        _cts.Dispose();
    }
}
