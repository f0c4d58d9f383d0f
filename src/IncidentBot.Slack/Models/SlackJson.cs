using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Models;

/// <summary>The one set of serializer options for every Slack payload, in and out.</summary>
public static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Slack does not promise that "type" comes first in an object.
            AllowOutOfOrderMetadataProperties = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new SlackEventConverter());
        options.Converters.Add(new EventPayloadConverter());
        options.Converters.Add(new InteractionPayloadConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
