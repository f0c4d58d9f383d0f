using IncidentBot.Hosting;
using IncidentBot.Storage;

if (args is [CopyStorageCommand.Name, .. var copyArgs])
{
    return await CopyStorageCommand.RunAsync(copyArgs, Console.Out, Console.Error);
}

var app = IncidentBotApp.Build(args);
if (app.FindConfigurationError() is { } error)
{
    Console.Error.WriteLine($"IncidentBot cannot start: {error}");
    return 1;
}

await app.RunAsync();
return 0;

public partial class Program;
