namespace IncidentBot.Tests.Support;

/// <summary>Files of the repository the tests were built from: the docs that must match the code.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "IncidentBot.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No IncidentBot.sln above {AppContext.BaseDirectory}.");
    });

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static string PathOf(string relativePath) => Path.Combine(Root.Value, relativePath);
}
