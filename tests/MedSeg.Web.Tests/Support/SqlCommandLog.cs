using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MedSeg.Web.Tests.Support;

/// <summary>
/// A logger provider that keeps the text of every SQL command EF executed (category
/// <c>Microsoft.EntityFrameworkCore.Database.Command</c>, at Information), for tests that assert what the database is asked.
/// </summary>
public sealed class SqlCommandLog : ILoggerProvider
{
    public ConcurrentQueue<string> Commands { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName == "Microsoft.EntityFrameworkCore.Database.Command" ? Commands : null);

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string>? sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => sink is not null;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (sink is not null && eventId.Name?.EndsWith("CommandExecuted", StringComparison.Ordinal) == true) sink.Enqueue(formatter(state, exception));
        }
    }
}
