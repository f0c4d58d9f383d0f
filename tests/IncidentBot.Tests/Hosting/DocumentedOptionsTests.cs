using System.Reflection;
using System.Text.Json;
using IncidentBot.Slack;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Hosting;

/// <summary>Every setting the code binds is in appsettings.example.json and in the README's configuration table.</summary>
public sealed class DocumentedOptionsTests
{
    public static TheoryData<string> Settings() => [.. Keys()];

    [Fact]
    public void TheOptionsClassesAreFound()
    {
        var sections = Keys().Select(key => key.Split(':')[0]).Distinct().Order();

        Assert.Equal(["Ai", "Alerts", "Api", "Assistant", "Catchup", "Dashboard", "Dora", "Incidents", "Reminders", "Slack", "Storage", "Telemetry"], sections);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void EverySettingIsInTheExampleFile(string key)
    {
        using var example = JsonDocument.Parse(RepositoryFiles.ReadAllText("appsettings.example.json"));
        JsonElement? setting = example.RootElement;
        foreach (var part in key.Split(':'))
        {
            setting = setting is { ValueKind: JsonValueKind.Object } parent && parent.TryGetProperty(part, out var child) ? child : null;
        }

        Assert.True(setting is not null, $"appsettings.example.json has no {key}");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void EverySettingIsInTheReadmeTable(string key)
    {
        Assert.Contains($"`{key}`", ConfigurationTable());
    }

    /// <summary>The rows of the table under the README's "Configuration" heading.</summary>
    private static string ConfigurationTable()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var section = readme[readme.IndexOf("\n## Configuration", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 3, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];
        return string.Join('\n', section.Split('\n').Where(line => line.StartsWith('|')));
    }

    private static readonly Assembly[] Product = [typeof(Program).Assembly, typeof(SlackOptions).Assembly];

    /// <summary>
    /// <c>Section:Property</c> for each settable property of each options class (a class with a section name) of the
    /// product, and <c>Section:Group:Property</c> for the properties of a group of settings (an options class of the
    /// product's own inside another; a list of them, such as alert rules, counts as one setting).
    /// </summary>
    private static List<string> Keys() =>
    [
        .. from type in Product.SelectMany(assembly => assembly.GetTypes())
           let section = SectionOf(type)
           where section is not null
           from key in KeysOf(type, section)
           select key,
    ];

    private static IEnumerable<string> KeysOf(Type type, string prefix) =>
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.CanWrite
        from key in property.PropertyType.IsClass && Product.Contains(property.PropertyType.Assembly)
            ? KeysOf(property.PropertyType, $"{prefix}:{property.Name}")
            : [$"{prefix}:{property.Name}"]
        select key;

    private static string? SectionOf(Type type) =>
        type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal)
            ? type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(field => field.IsLiteral && field.Name is "Section" or "SectionName")?.GetRawConstantValue() as string
            : null;
}
