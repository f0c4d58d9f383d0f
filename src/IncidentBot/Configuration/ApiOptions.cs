namespace IncidentBot.Configuration;

public sealed class ApiOptions
{
    public const string Section = "Api";
    public const int MinKeyLength = 16;

    /// <summary>Bearer keys accepted by the REST API. None means the API is closed.</summary>
    public string[] Keys { get; set; } = [];
}
