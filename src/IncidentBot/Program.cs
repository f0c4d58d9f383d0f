using IncidentBot.Hosting;
using IncidentBot.SlackExport;
using IncidentBot.Storage;

if (args is [CopyStorageCommand.Name, .. var copyArgs])
{
    return await CopyStorageCommand.RunAsync(copyArgs, Console.Out, Console.Error);
}

if (args is [ImportSlackExportCommand.Name, .. var importArgs])
{
    return await ImportSlackExportCommand.RunAsync(importArgs, Console.Out, Console.Error, terminal: !Console.IsOutputRedirected);
}

return await IncidentBotApp.RunAsync(args);

public partial class Program;
