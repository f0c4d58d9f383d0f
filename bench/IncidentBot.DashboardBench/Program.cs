using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics;
using System.Net;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

// The list page's latency with 10,000 incidents declared over a year (90% resolved), one request at a time after a
// warm-up, for the pages people open most: the first page, a filtered one, and a page far back.
const int Incidents = 10_000;
const int Requests = 300;
string[] services = [.. Enumerable.Range(1, 40).Select(i => $"service-{i:D2}")];

var folder = Directory.CreateTempSubdirectory("incidentbot-dashboard-bench");
var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-365));
await using var openId = await FakeOpenId.StartAsync(new FakeSignInUser("U0BENCH", "T0BENCH", "Bench"));
var app = IncidentBotApp.Build(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory }, builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder.FullName, "bench.db")}",
        ["Assistant:LocalEmbeddings"] = "false",
        ["Dashboard:ClientId"] = FakeOpenId.ClientId,
        ["Dashboard:ClientSecret"] = FakeOpenId.ClientSecret,
        ["Dashboard:Authority"] = openId.Authority,
        ["Dashboard:TeamId"] = "T0BENCH",
    });
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("IncidentBot", LogLevel.Warning);
    builder.Services.AddSingleton<TimeProvider>(clock);
});
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

var seeding = Stopwatch.StartNew();
var core = app.Services.GetRequiredService<IncidentService>();
for (var batch = 0; batch < Incidents / 50; batch++)
{
    await Task.WhenAll(Enumerable.Range(batch * 50, 50).Select(async i =>
    {
        var incident = await core.DeclareAsync(new IncidentDraft
        {
            Title = $"Incident {i}: errors in {services[i % services.Length]}",
            Severity = (Severity)(i % 6),
            Services = [services[i % services.Length], services[(i * 7) % services.Length]],
            Environment = i % 3 == 0 ? "staging" : "production",
            DeclaredBy = "U0BENCH",
            CommanderId = "U0BENCH",
        });
        if (i % 10 != 0)
        {
            await core.EditAsync(incident.Number, new IncidentEdit { Status = IncidentStatus.Resolved }, "U0BENCH");
        }
    }));
    clock.Advance(TimeSpan.FromMinutes(52));
}

clock.SetUtcNow(DateTimeOffset.UtcNow);
Console.WriteLine($"{Incidents} incidents declared in {seeding.Elapsed.TotalSeconds:F1} s");

using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = address };
var signIn = await client.GetAsync("/incidents");
if (signIn.StatusCode != HttpStatusCode.OK)
{
    Console.Error.WriteLine($"sign-in failed: {(int)signIn.StatusCode}");
    return 1;
}

Console.WriteLine("| page | p50 ms | p95 ms | p99 ms | max ms |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
foreach (var path in new[] { "/incidents", "/incidents?status=open&severity=SEV-1", "/incidents?service=service-07&environment=production", $"/incidents?before={Incidents / 2}" })
{
    for (var i = 0; i < 50; i++)
    {
        (await client.GetAsync(path)).EnsureSuccessStatusCode();
    }

    var times = new List<double>();
    for (var i = 0; i < Requests; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        response.EnsureSuccessStatusCode();
    }

    times.Sort();
    double At(double quantile) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(quantile * times.Count) - 1)];
    Console.WriteLine($"| `{path}` | {At(0.5):F1} | {At(0.95):F1} | {At(0.99):F1} | {times[^1]:F1} |");
}

await app.StopAsync();
await app.DisposeAsync();
folder.Delete(recursive: true);
return 0;
