using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>What the server logged at Warning and at Error or above, with the category and the exception, for tests that assert silence.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyCollection<string> Errors => _errors;

    public IReadOnlyCollection<string> Warnings => _warnings;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _errors, _warnings);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors, ConcurrentQueue<string> warnings) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}";
            (logLevel >= LogLevel.Error ? errors : warnings).Enqueue(line);
        }
    }
}
