using IncidentBot.Hosting;

return await IncidentBotApp.RunAsync(args);

public partial class Program;
