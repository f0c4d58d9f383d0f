using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.Extensions.AI;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The functions the model may call: <see cref="IncidentPlugin"/>'s read-only methods, each made an
/// <see cref="AIFunction"/> with <see cref="AIFunctionFactory"/>. What they return reaches the model as
/// short, bounded text inside the data delimiters, each entry with the citation to give for it.
/// There is no function that changes anything, so no answer can.
/// </summary>
internal static class PluginTools
{
    /// <summary>A function's result is cut to this many characters (about 3,000 tokens).</summary>
    public const int MaxResultChars = 12_000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new StatusConverter(), new SeverityConverter() },
    };

    public static IReadOnlyList<AIFunction> Create(IncidentPlugin plugin) =>
    [
        Tool(plugin, nameof(IncidentPlugin.FindIncidentsAsync), "find_incidents"),
        Tool(plugin, nameof(IncidentPlugin.CountIncidentsAsync), "count_incidents"),
        Tool(plugin, nameof(IncidentPlugin.GetIncidentAsync), "get_incident"),
        Tool(plugin, nameof(IncidentPlugin.GetTimelinePageAsync), "get_timeline"),
        Tool(plugin, nameof(IncidentPlugin.SearchHistoryAsync), "search_history"),
        Tool(plugin, nameof(IncidentPlugin.ListServicesAsync), "list_services"),
    ];

    private static AIFunction Tool(IncidentPlugin plugin, string method, string name) =>
        AIFunctionFactory.Create(typeof(IncidentPlugin).GetMethod(method)!, plugin, new AIFunctionFactoryOptions
        {
            Name = name,
            SerializerOptions = Json,
            JsonSchemaCreateOptions = new AIJsonSchemaCreateOptions { TransformSchemaNode = DescribeEnums },
            MarshalResult = (result, _, _) => ValueTask.FromResult<object?>(Render(result)),
        });

    /// <summary>Statuses and severities are read by our converters, so their schema says which words they take.</summary>
    private static JsonNode DescribeEnums(AIJsonSchemaCreateContext context, JsonNode schema)
    {
        if (schema is JsonObject collection && WordsFor(context.TypeInfo.ElementType) is { } items)
        {
            collection["items"] = items;
        }

        return WordsFor(context.TypeInfo.Type) ?? schema;
    }

    private static JsonObject? WordsFor(Type? type) =>
        type == typeof(IncidentStatus) ? Words("active", "stable", "resolved", "completed")
        : type == typeof(Severity) ? Words("SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5", "UNKNOWN")
        : null;

    private static JsonObject Words(params string[] words) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray([.. words.Select(w => (JsonNode)w)]) };

    /// <summary>The result as the model reads it.</summary>
    public static string Render(object? result) => result switch
    {
        Incident incident => ModelData.Wrap(ModelData.Incident(incident)),
        IReadOnlyList<Incident> { Count: 0 } => "No incident matches.",
        IReadOnlyList<Incident> incidents => ModelData.Wrap(ModelData.Bounded(incidents.Select(ModelData.Brief), MaxResultChars)),
        TimelinePage page => Render(page),
        IReadOnlyList<IncidentTextMatch> { Count: 0 } => "No incident matches those words.",
        IReadOnlyList<IncidentTextMatch> matches => ModelData.Wrap(ModelData.Bounded(matches.Select(Render), MaxResultChars)),
        IReadOnlyList<string> names => ModelData.Wrap(ModelData.Clean(string.Join(", ", names), MaxResultChars)),
        int count => $"count: {count}",
        null => "(nothing)",
        _ => ModelData.Wrap(ModelData.Clean(JsonSerializer.Serialize(result, Json), MaxResultChars)),
    };

    /// <summary>Entries until the budget is spent; the cursor then points after the last one shown, so nothing is skipped.</summary>
    private static string Render(TimelinePage page)
    {
        if (page.Entries.Count == 0)
        {
            return "The timeline has no more entries.";
        }

        var lines = new List<string>();
        var size = 0;
        foreach (var entry in page.Entries)
        {
            var line = ModelData.Entry(entry);
            if (lines.Count > 0 && size + line.Length + 1 > MaxResultChars)
            {
                break;
            }

            lines.Add(line);
            size += line.Length + 1;
        }

        var cut = lines.Count < page.Entries.Count;
        var next = cut ? TimelineCursor.Of(page.Entries[lines.Count - 1]).ToString() : page.NextCursor;
        return ModelData.Wrap(string.Join('\n', lines))
            + (next is null ? "\nThis is the end of the timeline." : $"\nMore entries follow: call get_timeline with cursor \"{next}\".");
    }

    private static string Render(IncidentTextMatch match) =>
        $"{ModelData.Cite(match.Number)} score {match.Score:0.##}"
        + (match.EntryId is { } id ? $"; best timeline match {ModelData.Cite(match.Number, id)}: {ModelData.Clean(match.EntryText, 240)}" : "");

    private sealed class StatusConverter : JsonConverter<IncidentStatus>
    {
        public override IncidentStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IncidentStatusText.TryParse(reader.GetString(), out var status)
                ? status
                : throw new JsonException($"A status is {IncidentStatusText.Accepted}.");

        public override void Write(Utf8JsonWriter writer, IncidentStatus value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToLabel());
    }

    private sealed class SeverityConverter : JsonConverter<Severity>
    {
        public override Severity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            SeverityText.TryParse(reader.TokenType == JsonTokenType.Number ? reader.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetString(), out var severity)
                ? severity
                : throw new JsonException("A severity is SEV-1 (critical) to SEV-5 (minor).");

        public override void Write(Utf8JsonWriter writer, Severity value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToLabel());
    }
}
