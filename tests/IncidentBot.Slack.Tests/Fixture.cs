namespace IncidentBot.Slack.Tests;

/// <summary>Reads the Slack fixtures copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The key=value lines of signing_test_vector.txt.</summary>
    public static IReadOnlyDictionary<string, string> SigningVector() =>
        Read("signing_test_vector.txt")
            .Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
}
