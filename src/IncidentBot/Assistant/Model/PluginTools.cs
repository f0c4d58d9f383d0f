using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The functions the model may call: <see cref="IncidentPlugin"/>'s read-only methods, made a kernel plugin.
/// What they return reaches the model as short, bounded text inside the data delimiters, each entry with the
/// citation to give for it (<see cref="Render(object?)"/>, applied by <see cref="FunctionRoundFilter"/>).
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

    private static readonly AIJsonSchemaCreateOptions SchemaOptions = new() { TransformSchemaNode = DescribeEnums };

    /// <summary>The name the model calls a function by.</summary>
    public static string ToolName(string function) => $"{IncidentPlugin.Name}-{function}";

    public static KernelPlugin CreatePlugin(IncidentPlugin plugin, ILoggerFactory loggers)
    {
        var created = KernelPluginFactory.CreateFromObject(plugin, Json, IncidentPlugin.Name, loggers);

        // Our converters read statuses and severities, so the schemas SK infers say nothing of the words they take.
        foreach (var parameter in created.SelectMany(function => function.Metadata.Parameters).Where(p => p.ParameterType is not null))
        {
            parameter.Schema = KernelJsonSchema.Parse(
                AIJsonUtilities.CreateJsonSchema(parameter.ParameterType!, parameter.Description, serializerOptions: Json, inferenceOptions: SchemaOptions).GetRawText());
        }

        return created;
    }

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
        FunctionError error => $"Error: {error.Message}",
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
            + (next is null ? "\nThis is the end of the timeline." : $"\nMore entries follow: call {ToolName(IncidentPlugin.GetTimeline)} with cursor \"{next}\".");
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
