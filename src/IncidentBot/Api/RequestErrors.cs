using System.Globalization;
using System.Xml;
using IncidentBot.Incidents;

namespace IncidentBot.Api;

/// <summary>Collects what is wrong with a request, field by field, so the caller learns everything in one answer.</summary>
internal sealed class RequestErrors
{
    public delegate bool TryParser<T>(string? text, out T value);

    private readonly Dictionary<string, List<string>> errors = [];

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Null when <paramref name="text"/> is absent; records an error when it is present but wrong.</summary>
    public T? Parse<T>(string? text, string field, TryParser<T> parse, string accepted)
        where T : struct
    {
        if (text is null)
        {
            return null;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Add(field, $"'{Shorten(text)}' is not a valid {field}; use {accepted}.");
        return null;
    }

    /// <summary>A comma-separated list of values, e.g. <c>status=active,stable</c>.</summary>
    public IReadOnlyCollection<T>? ParseList<T>(string? text, string field, TryParser<T> parse, string accepted)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => Parse(part, field, parse, accepted))
            .OfType<T>()
            .ToHashSet();
    }

    /// <summary>An ISO 8601 time (<c>2026-11-01T00:00:00Z</c>) or an ISO 8601 duration back from now (<c>P7D</c>).</summary>
    public DateTimeOffset? ParseTime(string? text, string field, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        try
        {
            // A duration reaching back before the year 1 is no time either.
            if (text.StartsWith('P') && XmlConvert.ToTimeSpan(text) is var back && back <= now - DateTimeOffset.MinValue)
            {
                return now - back;
            }
        }
        catch (FormatException)
        {
        }

        Add(field, $"'{Shorten(text)}' is not a time; use ISO 8601, e.g. 2026-11-01T00:00:00Z, or a duration back from now such as P7D.");
        return null;
    }

    public long Reference(string text)
    {
        if (IncidentReference.TryParse(text, out var number))
        {
            return number;
        }

        Add("ref", $"'{Shorten(text)}' is not an incident reference; write {IncidentReference.Accepted}.");
        ThrowIfAny();
        return 0;
    }

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors.ToDictionary(p => p.Key, p => p.Value.ToArray()));
        }
    }

    /// <summary>What of a caller's text goes back into a message: enough to recognise it, never all of a long one.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
