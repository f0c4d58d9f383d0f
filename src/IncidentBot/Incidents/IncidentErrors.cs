namespace IncidentBot.Incidents;

public sealed class IncidentNotFoundException(long number)
    : Exception($"{IncidentReference.Format(number)} does not exist.")
{
    public long Number { get; } = number;
}

/// <summary>Input that breaks a rule of the domain; each key names the field at fault.</summary>
public sealed class IncidentValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(pair => pair.Value)))
{
    public IncidentValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The change cannot be applied to the incident as it is now (e.g. a link it already has).</summary>
public sealed class IncidentConflictException(string message) : Exception(message);

/// <summary>The caller edited a version of the incident that is no longer the current one.</summary>
public sealed class IncidentVersionMismatchException(long number, long expected, long actual)
    : Exception($"{IncidentReference.Format(number)} is at version {actual}, not {expected}: reload it and apply the change again.");
