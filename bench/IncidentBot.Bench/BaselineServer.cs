using IncidentBot.Slack;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Bench;

/// <summary>
/// The ceiling the bot's Slack endpoint is measured against on the same machine: a bare ASP.NET Core app whose
/// one endpoint reads the body and checks its Slack signature exactly as the real endpoints do (the transport's
/// <see cref="VerifiedBodyReader"/>: a capped read, then <see cref="SlackSignatureVerifier"/>), answers 200 and
/// does nothing else. Run as its own process: <c>IncidentBot.Bench baseline</c>, on <c>ASPNETCORE_URLS</c>,
/// with the secret in <c>Slack__SigningSecret</c>.
/// </summary>
public static class BaselineServer
{
    public const string Verb = "baseline";
    public const string Path = "/slack/baseline";
    public const string ReadyPath = "healthz";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SlackSignatureVerifier>();
        builder.Services.AddSingleton<VerifiedBodyReader>();

        var app = builder.Build();
        app.MapGet(ReadyPath, () => Results.Ok());
        app.MapPost(Path, async (HttpContext context, VerifiedBodyReader reader) =>
            (await reader.ReadAsync(context.Request, context.RequestAborted)).Rejection ?? Results.Ok());
        await app.RunAsync();
    }

    /// <summary>Starts the baseline as a child process of this program, with the GC the bot runs with.</summary>
    public static LoopbackProcess Start(string signingSecret, bool serverGc) =>
        LoopbackProcess.Start(typeof(BaselineServer).Assembly.Location, [Verb],
        [
            new("Slack__SigningSecret", signingSecret),
            new("DOTNET_gcServer", serverGc ? "1" : "0"),
        ]);
}
