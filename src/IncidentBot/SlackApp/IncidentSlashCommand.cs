using IncidentBot.Assistant;
using IncidentBot.Assistant.Catchup;
using IncidentBot.Incidents;
using IncidentBot.Incidents.Commands;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// <c>/incident &lt;sub&gt;</c>. Inside an incident channel it acts on that channel's incident, elsewhere it
/// takes a reference. Errors and help are ephemeral. A change made in the incident's own channel gets an
/// empty answer, because the change line the bot posts there is the answer everybody sees.
/// </summary>
public sealed class IncidentSlashCommand(
    IncidentService incidents,
    IIncidentReader reader,
    IncidentChannels channels,
    SlackAssistant assistant,
    ISlackApiClient slack,
    TimeProvider time,
    ILogger<IncidentSlashCommand> logger)
    : ISlashCommandHandler
{
    public const string Name = "/incident";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return IncidentCommandParser.Parse(command.Text) switch
            {
                HelpCommand => SlashCommandResponse.Ephemeral(IncidentCommandParser.Usage),
                InvalidCommand invalid => SlashCommandResponse.Ephemeral($"{invalid.Error}\n{invalid.Usage}"),
                DeclareCommand declare => await DeclareAsync(declare, command, cancellationToken),
                ListCommand list => SlashCommandResponse.Ephemeral(await ListAsync(list, cancellationToken)),
                StatsCommand stats => SlashCommandResponse.Ephemeral(await StatsAsync(stats, cancellationToken)),
                IncidentScopedCommand scoped => await OnIncidentAsync(scoped, command, cancellationToken),
                _ => SlashCommandResponse.Ephemeral(IncidentCommandParser.Usage),
            };
        }
        catch (Exception refused) when (refused is IncidentValidationException or IncidentNotFoundException or IncidentConflictException)
        {
            return SlashCommandResponse.Ephemeral(refused.Message);
        }
    }

    private async Task<SlashCommandResponse?> DeclareAsync(DeclareCommand declare, SlashCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(declare.Title))
        {
            return await OpenDeclareModalAsync(command, cancellationToken);
        }

        var incident = await incidents.DeclareAsync(new IncidentDraft
        {
            Title = declare.Title,
            Severity = declare.Severity ?? Severity.Unknown,
            Services = declare.Services,
            DeclaredBy = command.UserId,
            CommanderId = command.UserId,
        }, cancellationToken);
        return SlashCommandResponse.InChannel(
            $":rotating_light: {SlackText.Person(command.UserId)} declared *{incident.Reference}: {SlackText.Escape(incident.Title)}* " +
            $"({incident.Severity.ToLabel()}). Its channel is being opened; the declarer is invited.");
    }

    /// <summary>The trigger id lives 3 seconds, so the modal is opened before anything else.</summary>
    private async Task<SlashCommandResponse?> OpenDeclareModalAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        try
        {
            if (command.TriggerId is { } trigger)
            {
                await slack.Views.OpenAsync(trigger, DeclareModal.Build(command.UserId, command.ChannelId), cancellationToken);
                return null;
            }
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("Could not open the declare form: {Error}", refused.Error);
        }

        return SlashCommandResponse.Ephemeral("Give the incident a title, e.g. `/incident declare Checkout failing for EU customers sev2 services: checkout-api`.");
    }

    private async Task<SlashCommandResponse?> OnIncidentAsync(IncidentScopedCommand scoped, SlashCommand command, CancellationToken cancellationToken)
    {
        var here = await channels.FindIncidentAsync(command.ChannelId, cancellationToken);
        var number = scoped.Reference ?? here;
        if (number is not { } target)
        {
            return SlashCommandResponse.Ephemeral(
                $"This channel is not an incident channel, so name the incident, e.g. `/incident {Example(scoped)} INC-42`.");
        }

        var inItsChannel = here == target;
        return scoped switch
        {
            ShowCommand => Show(await reader.GetRequiredAsync(target, cancellationToken)),
            UpdateCommand update => Posted(await incidents.PostAsync(target, TimelineEntryKind.Update, update.Text, command.UserId, cancellationToken), inItsChannel),
            ActionCommand action => Posted(await incidents.PostAsync(target, TimelineEntryKind.Action, action.Text, command.UserId, cancellationToken), inItsChannel),
            SummaryCommand => SlashCommandResponse.Ephemeral(await assistant.SummaryAsync(target, cancellationToken)),
            CatchupCommand catchup => SlashCommandResponse.Ephemeral(await assistant.CatchUpAsync(
                new CatchupRequest(target, command.UserId, catchup.Since?.Resolve(time.GetUtcNow())), cancellationToken)),
            RelatedCommand related => SlashCommandResponse.Ephemeral(await assistant.RelatedAsync(RelatedRequestFor(related, target), cancellationToken)),
            PostmortemCommand => await PostmortemAsync(target, command.UserId, cancellationToken),
            _ => Changed(await incidents.EditAsync(target, EditFor(scoped, time.GetUtcNow()), command.UserId, cancellationToken: cancellationToken), inItsChannel),
        };
    }

    private RelatedRequest RelatedRequestFor(RelatedCommand related, long number)
    {
        var since = related.Window is { } window ? time.GetUtcNow() - window : (DateTimeOffset?)null;
        return string.IsNullOrWhiteSpace(related.Query) ? new RelatedRequest(number, Since: since) : new RelatedRequest(number, related.Query, since);
    }

    private async Task<SlashCommandResponse?> PostmortemAsync(long number, string userId, CancellationToken cancellationToken)
    {
        var reply = await assistant.DraftPostmortemAsync(await reader.GetRequiredAsync(number, cancellationToken), userId, cancellationToken);
        return reply is null ? null : SlashCommandResponse.Ephemeral(reply);
    }

    private SlashCommandResponse Show(Incident incident) =>
        SlashCommandResponse.Ephemeral(IncidentMessages.CardFallback(incident), IncidentMessages.Card(incident, time.GetUtcNow()));

    private static IncidentEdit EditFor(IncidentScopedCommand command, DateTimeOffset now) => command switch
    {
        StatusChangeCommand status => new IncidentEdit
        {
            Status = status.Status,
            ResolutionSummary = status.Status == IncidentStatus.Resolved ? status.Summary : null,
        },
        SeverityCommand severity => new IncidentEdit { Severity = severity.Severity },
        CommanderCommand commander => new IncidentEdit { CommanderId = commander.UserId },
        ImpactCommand impact => new IncidentEdit { CustomerImpact = impact.Text },
        AddServicesCommand services => new IncidentEdit { AddServices = services.Services },
        LinkCommand link => new IncidentEdit { Link = (link.Type, link.Target) },
        ImpactStartCommand impact => new IncidentEdit { ImpactStartedAt = impact.Resolve(now) },
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not a change."),
    };

    private static SlashCommandResponse? Changed(IncidentUpdate update, bool inItsChannel) =>
        !update.Changed ? SlashCommandResponse.Ephemeral(IncidentReplies.NothingChanged(update.After))
        : inItsChannel ? null
        : SlashCommandResponse.Ephemeral(IncidentReplies.Done(update.After));

    private static SlashCommandResponse? Posted(TimelineEntry entry, bool inItsChannel) =>
        inItsChannel ? null : SlashCommandResponse.Ephemeral($"Posted to the timeline of {IncidentReference.Format(entry.IncidentNumber)}.");

    private async Task<string> ListAsync(ListCommand list, CancellationToken cancellationToken)
    {
        var query = new IncidentFilter
        {
            Statuses = list.Scope == IncidentListScope.Open ? IncidentFilter.OpenStatuses : null,
            Severities = list.Severity is { } severity ? [severity] : null,
            Limit = 20,
        };
        var found = await reader.FindAsync(query, cancellationToken);
        return found.Count == 0
            ? (list.Scope == IncidentListScope.Open ? "No open incidents." : "No incidents.")
            : string.Join("\n", found.Select(i => IncidentReplies.ListLine(i, time.GetUtcNow())));
    }

    private async Task<string> StatsAsync(StatsCommand stats, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = stats.Window ?? TimeSpan.FromDays(30);
        return IncidentReplies.Stats(await reader.GetStatsAsync(now - window, now, cancellationToken), window);
    }

    private static string Example(IncidentScopedCommand command) => command switch
    {
        SeverityCommand => "severity sev2",
        ResolveCommand => "resolve",
        StableCommand => "stable",
        _ => "show",
    };
}
