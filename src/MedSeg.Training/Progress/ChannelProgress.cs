using System.Threading.Channels;

namespace MedSeg.Training.Progress;

/// <summary>
/// An <see cref="IProgress{T}"/> that feeds a bounded channel, dropping the oldest report when the reader
/// lags (a SignalR pusher only needs recent ones), so a slow consumer never stalls training.
/// </summary>
public sealed class ChannelProgress : IProgress<TrainingProgress>
{
    private readonly Channel<TrainingProgress> _channel;

    public ChannelProgress(int capacity = 256) =>
        _channel = Channel.CreateBounded<TrainingProgress>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true,
        });

    public ChannelReader<TrainingProgress> Reader => _channel.Reader;

    public void Report(TrainingProgress value) => _channel.Writer.TryWrite(value);

    /// <summary>Call when the run ends so readers finish.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
