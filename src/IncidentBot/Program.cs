using IncidentBot.Configuration;
using IncidentBot.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddIncidentBot();
var app = builder.Build();

if (app.Services.GetRequiredService<ConfigurationCheck>().FindError(app.Services, app.Configuration) is { } error)
{
    Console.Error.WriteLine($"IncidentBot cannot start: {error}");
    return 1;
}

app.MapIncidentBot();
await app.RunAsync();
return 0;

public partial class Program;
