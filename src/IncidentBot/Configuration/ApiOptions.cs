namespace IncidentBot.Configuration;

public sealed class ApiOptions
{
    public const string Section = "Api";
    public const int MinKeyLength = 16;

    /// <summary>Bearer keys accepted by the REST API. None means the API is closed.</summary>
    public string[] Keys { get; set; } = [];

    /// <summary>
    /// Bearer keys accepted like <see cref="Keys"/> that also see private incidents. A key of <see cref="Keys"/> alone
    /// never sees one: for it a private incident does not exist (404, and absent from lists, search and figures).
    /// </summary>
    public string[] PrivateIncidentKeys { get; set; } = [];

    /// <summary>Every key the REST API accepts.</summary>
    public IEnumerable<string> AllKeys => Keys.Concat(PrivateIncidentKeys);
}
