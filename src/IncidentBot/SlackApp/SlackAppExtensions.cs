using IncidentBot.Assistant;
using IncidentBot.Configuration;
using IncidentBot.Incidents;
using IncidentBot.Slack;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Slack.SocketMode;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

public static class SlackAppExtensions
{
    /// <summary>Slack is on when <c>Slack:BotToken</c> is set; without it the bot runs with its REST API only.</summary>
    public static bool IsSlackConfigured(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.SectionName}:{nameof(SlackOptions.BotToken)}"]);

    public static IHostApplicationBuilder AddSlackApp(this IHostApplicationBuilder builder)
    {
        builder.AddConfigurationCheck<SlackOptions>(SlackOptions.SectionName);
        if (!builder.Configuration.IsSlackConfigured())
        {
            return builder;
        }

        builder.Services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        var slack = builder.Services.AddSlack(builder.Configuration.GetSection(SlackOptions.SectionName))
            .AddEventHandler<MessageEventBase, TimelineRecorder>(SlackWorkOrder.AnyOrder)
            .AddEventHandler<AppMention, MentionHandler>()
            .AddEventHandler<AppHomeOpened, AppHome>()
            .AddEventHandler<MemberJoinedChannel, JoinerSummary>()
            .AddSlashCommandHandler<IncidentSlashCommand>(IncidentSlashCommand.Name)
            .AddViewSubmissionHandler<DeclareModal>(DeclareModal.CallbackId);
        foreach (var actionId in CardActions.ActionIds)
        {
            slack.AddBlockActionHandler<CardActions>(actionId);
        }

        builder.Services.AddSingleton<RecentClicks>();
        builder.Services.AddSingleton<IncidentChannels>();
        builder.Services.AddSingleton<SlackAssistant>();
        builder.Services.AddSingleton<ChannelCatchUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChannelCatchUp>());
        builder.Services.AddSingleton<ISlackConnectionObserver>(sp => sp.GetRequiredService<ChannelCatchUp>());
        builder.Services.AddSingleton<SlackIdentity>();
        builder.Services.AddSingleton<IPersonNames, SlackPersonNames>();
        builder.Services.AddSingleton<ChannelSyncQueue>();
        builder.Services.AddSingleton<IIncidentObserver>(sp => sp.GetRequiredService<ChannelSyncQueue>());
        builder.Services.AddSingleton<IncidentChannelSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IncidentChannelSync>());
        return builder;
    }

    public static WebApplication MapSlackApp(this WebApplication app)
    {
        if (app.Configuration.IsSlackConfigured())
        {
            app.MapSlackEndpoints();
        }

        return app;
    }
}
