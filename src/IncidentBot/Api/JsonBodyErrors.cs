using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using Microsoft.AspNetCore.Mvc;

namespace IncidentBot.Api;

/// <summary>
/// Says what is wrong with a JSON body in the words of its fields, never in .NET's: an unknown field with the closest field and the fields
/// accepted, a field of the wrong form with the form it takes (its description, <see cref="FieldForms"/>).
/// </summary>
internal static partial class JsonBodyErrors
{
    public const string NotTheJson = "The body is not the JSON this endpoint takes";

    /// <param name="requestType">The record the endpoint reads its body into.</param>
    public static ProblemDetails Describe(JsonException json, Type requestType, JsonSerializerOptions options)
    {
        // The reader's own messages (a missing brace, an invalid literal) say where the JSON breaks, in JSON's words.
        if (json.InnerException is JsonException)
        {
            return Problem(null, $"{NotTheJson}: {json.Message}");
        }

        var fields = options.GetTypeInfo(requestType).Properties;
        var accepted = string.Join(", ", fields.Select(field => field.Name));
        if (FieldOf(json.Path) is not { } name)
        {
            return Problem(null, $"{NotTheJson}: send a JSON object with the fields {accepted}.");
        }

        var known = fields.FirstOrDefault(field => string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            var meant = Spelling.Closest(name, fields.Select(field => field.Name)) is { } closest ? $"did you mean {closest}? Accepted" : "accepted";
            return Problem(name, $"Unknown field '{RequestErrors.Shorten(name)}'; {meant} fields: {accepted}.");
        }

        // Told apart by its message: the serializer raises both a repeated key and a wrong form on the field itself.
        return json.Message.StartsWith("Duplicate", StringComparison.Ordinal)
            ? Problem(known.Name, $"{NotTheJson}: {known.Name} is given twice; give each field once.")
            : Problem(known.Name, $"{NotTheJson}: {known.Name} must be {FormOf(known)}.");
    }

    private static string FormOf(JsonPropertyInfo field) =>
        field.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).OfType<DescriptionAttribute>().FirstOrDefault()?.Description
        ?? (field.PropertyType == typeof(string) ? "a text" : $"of the form {ApiDocument.Path} gives");

    /// <summary>The top-level field a JSON path starts with: <c>$.services[0]</c> → services; null for the body itself.</summary>
    private static string? FieldOf(string? path) =>
        path is null ? null : FirstField().Match(path) is { Success: true } match ? match.Groups["name"].Value.Replace("''", "'") : null;

    private static ProblemDetails Problem(string? field, string message) =>
        new HttpValidationProblemDetails(field is null ? new Dictionary<string, string[]>() : new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = message,
        };

    [GeneratedRegex(@"^\$(?:\.(?<name>[^.\[]+)|\['(?<name>(?:[^']|'')*)'\])")]
    private static partial Regex FirstField();
}
