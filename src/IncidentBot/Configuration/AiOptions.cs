namespace IncidentBot.Configuration;

public sealed class AiOptions
{
    public const string Section = "Ai";
    public const string None = "none";
    public const string OpenAi = "openai";

    /// <summary><c>none</c> (the deterministic assistant, the default) or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = None;

    /// <summary>Base URL of the OpenAI-compatible endpoint, including <c>/v1</c>; empty means OpenAI itself.</summary>
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }
    public string? EmbeddingModel { get; set; }
    public int TimeoutSeconds { get; set; } = 20;
}
