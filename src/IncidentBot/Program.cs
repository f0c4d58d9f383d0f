using IncidentBot.Hosting;

var app = IncidentBotApp.Build(args);
if (app.FindConfigurationError() is { } error)
{
    Console.Error.WriteLine($"IncidentBot cannot start: {error}");
    return 1;
}

await app.RunAsync();
return 0;

public partial class Program;
