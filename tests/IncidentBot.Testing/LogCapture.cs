using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>One log line as written: its category, level, message and exception.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    /// <summary>The message and the whole exception text, as a log sink would store them.</summary>
    public string FullText => Exception is null ? Message : $"{Message} {Exception}";
}

/// <summary>Keeps every log line, to check what is logged (and what never is).</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly List<LogEntry> entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public IReadOnlyList<LogEntry> AtLeast(LogLevel level) => [.. Entries.Where(entry => entry.Level >= level)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>Polls for a matching entry (log lines come from background work); fails after <paramref name="timeout"/>.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Entries.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("No matching log entry; logged: " + string.Join(" | ", Entries.Select(entry => entry.Message)));
            }

            await Task.Delay(10);
        }
    }

    private void Add(LogEntry entry)
    {
        lock (gate)
        {
            entries.Add(entry);
        }
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}
