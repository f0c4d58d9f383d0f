namespace IncidentBot.Slack.Models;

/// <summary>A body posted to the Events API request URL, told apart by its top-level <c>type</c>.</summary>
public abstract record EventPayload
{
    public string Type { get; init; } = "";
}

public sealed record UrlVerification : EventPayload
{
    public string Challenge { get; init; } = "";
}

/// <summary>Sent unwrapped when the workspace passes 30,000 events an hour; events are being dropped.</summary>
public sealed record AppRateLimited : EventPayload
{
    public string TeamId { get; init; } = "";
    public string ApiAppId { get; init; } = "";
    public long MinuteRateLimited { get; init; }
}

public sealed record EventCallback : EventPayload
{
    public string TeamId { get; init; } = "";
    public string? EnterpriseId { get; init; }
    public string ApiAppId { get; init; } = "";
    public SlackEvent Event { get; init; } = new UnknownEvent();
    /// <summary>Unique per event and reused by retries: the idempotency key.</summary>
    public string EventId { get; init; } = "";
    /// <summary>Epoch seconds.</summary>
    public long EventTime { get; init; }
    public IReadOnlyList<Authorization> Authorizations { get; init; } = [];
    public bool IsExtSharedChannel { get; init; }
    public string? EventContext { get; init; }
}

public sealed record Authorization
{
    public string? EnterpriseId { get; init; }
    public string TeamId { get; init; } = "";
    public string UserId { get; init; } = "";
    public bool IsBot { get; init; }
    public bool IsEnterpriseInstall { get; init; }
}

public sealed record UnknownEventPayload : EventPayload
{
    public System.Text.Json.JsonElement Raw { get; init; }
}
