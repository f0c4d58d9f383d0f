using Microsoft.Extensions.Options;

namespace IncidentBot.Assistant;

public sealed class AssistantOptions
{
    public const string Section = "Assistant";

    /// <summary>A Markdown file replacing the default postmortem template (<see cref="PostmortemTemplate.Variables"/>).</summary>
    public string? PostmortemTemplatePath { get; set; }

    /// <summary>
    /// Related incidents are ranked by meaning too, with all-MiniLM-L6-v2 run in-process (no network), unless a
    /// configured embedding model (<c>Ai:EmbeddingModel</c>) replaces it. False: words and services only.
    /// </summary>
    public bool LocalEmbeddings { get; set; } = true;

    /// <summary>
    /// The in-process model (~90 MB) is unloaded after this long without an embedding to compute, and loaded again
    /// on the next; zero keeps it loaded once loaded.
    /// </summary>
    public TimeSpan LocalEmbeddingsIdleUnload { get; set; } = TimeSpan.FromMinutes(10);
}

internal sealed class AssistantOptionsValidator : IValidateOptions<AssistantOptions>
{
    public ValidateOptionsResult Validate(string? name, AssistantOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PostmortemTemplatePath) && !File.Exists(options.PostmortemTemplatePath))
        {
            return ValidateOptionsResult.Fail($"Assistant:PostmortemTemplatePath names no readable file: '{options.PostmortemTemplatePath}'.");
        }

        return options.LocalEmbeddingsIdleUnload < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"Assistant:LocalEmbeddingsIdleUnload must be zero (never unload) or a positive time, not {options.LocalEmbeddingsIdleUnload}.")
            : ValidateOptionsResult.Success;
    }
}
