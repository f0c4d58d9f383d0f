using System.Text.RegularExpressions;
using System.Xml.Linq;
using IncidentBot.Tests.Support;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// Docker cannot run here, so <c>Dockerfile</c> and <c>compose.yaml</c> are held to what the README promises by reading
/// them: a multi-stage build of the project that exists, for the framework it targets, run as a non-root user on the
/// port it exposes and checks, its database folder on a volume; and the bot on the compose file's PostgreSQL.
/// </summary>
public sealed partial class ContainerFilesTests
{
    private const string ProjectFolder = "src/IncidentBot";
    private readonly Dockerfile dockerfile = Dockerfile.Read(RepositoryFiles.ReadAllText("Dockerfile"));

    [Fact]
    public void TheImageIsBuiltWithTheSdkAndRunsOnTheRuntimeOfTheTargetFramework()
    {
        var framework = TargetFrameworkVersion();
        var stages = dockerfile.All("FROM");

        Assert.True(stages.Count >= 2, "a multi-stage build: the SDK builds, the runtime image runs");
        Assert.Equal($"--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:{framework} AS build", stages[0]);
        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{framework}", stages[^1]);
        Assert.StartsWith(framework + ".", GlobalJsonSdkVersion());
        Assert.Contains(dockerfile.FinalStage("COPY"), copy => copy.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Fact]
    public void ItPublishesTheBotsProjectAfterCopyingEveryProjectFileItRestores()
    {
        var project = $"{ProjectFolder}/IncidentBot.csproj";
        var copied = dockerfile.All("COPY").Where(c => !c.StartsWith("--from=", StringComparison.Ordinal)).SelectMany(c => c.Split(' ')[..^1]).ToList();

        // Checked by hand (it takes about 3 minutes here): a restore and a publish with these arguments, for amd64, in a
        // copy of what the COPY lines copy.
        Assert.Equal($"{project} -a $TARGETARCH", Assert.Single(dockerfile.All("RUN"), run => run.StartsWith("dotnet restore ", StringComparison.Ordinal))["dotnet restore ".Length..]);
        Assert.Equal(
            $"{project} -a $TARGETARCH --configuration Release --no-restore --output /app",
            Assert.Single(dockerfile.All("RUN"), run => run.StartsWith("dotnet publish ", StringComparison.Ordinal))["dotnet publish ".Length..]);
        Assert.Equal("TARGETARCH", Assert.Single(dockerfile.All("ARG")));
        foreach (var needed in (string[])[project, .. ProjectReferences(project), "global.json", "Directory.Build.props", "Directory.Packages.props"])
        {
            Assert.True(File.Exists(RepositoryFiles.PathOf(needed)), $"{needed} does not exist");
            Assert.Contains(needed, copied);
        }

        Assert.Equal("[\"dotnet\", \"IncidentBot.dll\"]", Assert.Single(dockerfile.All("ENTRYPOINT")));
        Assert.DoesNotContain(RepositoryFiles.ReadAllText(".dockerignore").Split('\n'), ignored => ignored.Trim() is "src/" or "src" or "global.json" or "*.props");
    }

    [Fact]
    public void ItRunsAsTheRuntimeImagesNonRootUser()
    {
        Assert.Equal("$APP_UID", dockerfile.FinalStage("USER").Last());
    }

    [Fact]
    public void ItListensOnThePortItExposesAndChecksReadinessThere()
    {
        var port = dockerfile.Environment("ASPNETCORE_HTTP_PORTS");

        Assert.Equal(port, Assert.Single(dockerfile.All("EXPOSE")));
        Assert.DoesNotContain(dockerfile.All("ENV"), env => env.Contains("ASPNETCORE_URLS", StringComparison.Ordinal));
        var check = Assert.Single(dockerfile.All("HEALTHCHECK"));
        Assert.Matches($@"CMD curl --fail .*http://localhost:{port}/readyz", check);
        Assert.Contains(dockerfile.FinalStage("RUN"), run => run.Contains("install --yes --no-install-recommends curl", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDatabaseFolderIsAVolumeTheUserMayWrite()
    {
        var folder = Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(dockerfile.Environment("Storage__ConnectionString")).DataSource)!;

        Assert.Equal(folder, Assert.Single(dockerfile.All("VOLUME")));
        Assert.Contains(dockerfile.FinalStage("RUN"), run => run.Contains($"mkdir -p {folder}", StringComparison.Ordinal) && run.Contains($"chown \"$APP_UID\" {folder}", StringComparison.Ordinal));
    }

    [Fact]
    public void TheReadmesDockerRunUsesTheImagesPortAndVolume()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var port = dockerfile.Environment("ASPNETCORE_HTTP_PORTS");

        Assert.Contains($"docker run -d -p 127.0.0.1:{port}:{port} -v incidentbot-data:{Assert.Single(dockerfile.All("VOLUME"))}", readme);
    }

    [Fact]
    public void ComposeRunsTheBotOnItsPostgresOnceThatIsHealthy()
    {
        var services = (YamlMappingNode)ReadCompose()["services"];
        var bot = (YamlMappingNode)services["incidentbot"];
        var postgres = (YamlMappingNode)services["postgres"];
        var botEnvironment = (YamlMappingNode)bot["environment"];
        var postgresEnvironment = (YamlMappingNode)postgres["environment"];

        Assert.Equal(".", Scalar(bot["build"]));
        Assert.StartsWith("postgres:", Scalar(postgres["image"]));
        Assert.Equal("postgres", Scalar(botEnvironment["Storage__Provider"]));
        var connection = new NpgsqlConnectionStringBuilder(Scalar(botEnvironment["Storage__ConnectionString"]));
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(Scalar(postgresEnvironment["POSTGRES_DB"]), connection.Database);
        Assert.Equal(Scalar(postgresEnvironment["POSTGRES_USER"]), connection.Username);
        Assert.StartsWith("${POSTGRES_PASSWORD", connection.Password);
        Assert.StartsWith("${POSTGRES_PASSWORD", Scalar(postgresEnvironment["POSTGRES_PASSWORD"]));
        Assert.Equal("service_healthy", Scalar(((YamlMappingNode)((YamlMappingNode)bot["depends_on"])["postgres"])["condition"]));
        Assert.Contains("pg_isready", ((YamlMappingNode)postgres["healthcheck"])["test"].ToString());
        Assert.Contains(((YamlSequenceNode)postgres["volumes"]).Children, volume => Scalar(volume).EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
    }

    [Fact]
    public void ComposePublishesTheImagesPortOnTheHostsLoopbackOnly()
    {
        var bot = (YamlMappingNode)((YamlMappingNode)ReadCompose()["services"])["incidentbot"];
        var port = dockerfile.Environment("ASPNETCORE_HTTP_PORTS");

        Assert.Equal($"127.0.0.1:{port}:{port}", Scalar(Assert.Single(((YamlSequenceNode)bot["ports"]).Children)));
    }

    private static YamlMappingNode ReadCompose()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.ReadAllText("compose.yaml")));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    /// <returns>"10.0" for net10.0.</returns>
    private static string TargetFrameworkVersion()
    {
        var framework = XDocument.Parse(RepositoryFiles.ReadAllText("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        return TargetFramework().Match(framework).Groups["version"].Value;
    }

    private static string GlobalJsonSdkVersion() =>
        System.Text.Json.JsonDocument.Parse(RepositoryFiles.ReadAllText("global.json")).RootElement.GetProperty("sdk").GetProperty("version").GetString()!;

    /// <summary>The project files <paramref name="project"/> references, directly or not, relative to the repository.</summary>
    private static IEnumerable<string> ProjectReferences(string project)
    {
        var folder = Path.GetDirectoryName(project)!;
        foreach (var reference in XDocument.Parse(RepositoryFiles.ReadAllText(project)).Descendants("ProjectReference"))
        {
            var path = Path.GetRelativePath(RepositoryFiles.PathOf("."), Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf(folder), reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            yield return path;
            foreach (var further in ProjectReferences(path))
            {
                yield return further;
            }
        }
    }

    [GeneratedRegex(@"^net(?<version>\d+\.\d+)$")]
    private static partial Regex TargetFramework();

    /// <summary>A Dockerfile's instructions in order, continuation lines joined, comments left out.</summary>
    private sealed record Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> Instructions)
    {
        public static Dockerfile Read(string text)
        {
            var joined = Regex.Replace(text, @"\\\r?\n\s*", " ");
            return new([.. joined.Split('\n')
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Select(line => line.Split(' ', 2))
                .Select(parts => (parts[0].ToUpperInvariant(), Regex.Replace(parts.ElementAtOrDefault(1) ?? "", @"\s+", " ").Trim()))]);
        }

        public List<string> All(string instruction) => [.. Of(Instructions, instruction)];

        /// <summary>The instructions after the last <c>FROM</c>: what the image that runs is made of.</summary>
        public List<string> FinalStage(string instruction) =>
            [.. Of(Instructions.Skip(Instructions.ToList().FindLastIndex(i => i.Instruction == "FROM")), instruction)];

        /// <summary>A variable an <c>ENV</c> sets (<c>ENV A=1 \ B="x y"</c>).</summary>
        public string Environment(string name) =>
            All("ENV").Select(env => Regex.Match(env, $@"(^|\s){Regex.Escape(name)}=(""(?<value>[^""]*)""|(?<value>\S+))")).First(m => m.Success).Groups["value"].Value;

        private static IEnumerable<string> Of(IEnumerable<(string Instruction, string Arguments)> instructions, string instruction) =>
            instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);
    }
}
