using IncidentBot.Hosting;
using IncidentBot.Storage;

if (args is [CopyStorageCommand.Name, .. var copyArgs])
{
    return await CopyStorageCommand.RunAsync(copyArgs, Console.Out, Console.Error);
}

return await IncidentBotApp.RunAsync(args);

public partial class Program;
