using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Assistant.Questions;

/// <summary>
/// Questions about several incidents: counts and lists by status, severity, service, title words and time frame, and
/// the mean time to resolve over them. The words of the question that are not a filter the parser knows are looked up
/// as services, then as words of titles; a word that is neither leaves the question unanswered.
/// </summary>
internal sealed class IncidentSets(IncidentPlugin plugin)
{
    public const int MaxListed = 25;

    /// <summary>The filters of a question with its unread words resolved; <see cref="Unknown"/> holds those that are nothing.</summary>
    public sealed record Filters(
        IReadOnlyList<string> Services, IReadOnlyList<string> UnknownServices, IReadOnlyList<string> TitleWords, IReadOnlyList<string> Unknown)
    {
        /// <summary>The person the incidents are of, in the part <see cref="AssistantQuestion.Person"/> says.</summary>
        public string? PersonId { get; init; }
    }

    public async Task<Filters> ResolveAsync(AssistantQuestion question, CancellationToken cancellationToken)
    {
        var known = await plugin.ListServicesAsync(cancellationToken);
        var (services, unknownServices) = Match(question.ServiceWords, known);
        // "payments-api" is read as two words; a service named so in full is that service, not two words to look up.
        var named = known.Where(name => question.Text.Contains(name, StringComparison.OrdinalIgnoreCase)
            && Regex.IsMatch(question.Text, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])",
                RegexOptions.IgnoreCase)).ToList();
        var namedParts = named.SelectMany(SearchTerms.SplitWords).ToHashSet(StringComparer.Ordinal);
        services = [.. services.Union(named)];
        var (unreadServices, notServices) = Match([.. question.Unread.Where(w => !namedParts.Contains(w))], known);
        var titleWords = new List<string>();
        var unknown = new List<string>();
        if (notServices.Count > 0)
        {
            var titles = (await plugin.FindAsync(new IncidentFilter { Limit = IncidentFilter.MaxLimit }, cancellationToken)).Select(i => i.Title).ToList();
            foreach (var word in notServices)
            {
                (titles.Any(t => SearchWords.FoundIn(t, [word]).Count > 0) ? titleWords : unknown).Add(word);
            }
        }

        return new Filters([.. services.Union(unreadServices)], unknownServices, titleWords, unknown);
    }

    public async Task<QuestionAnswer> CountOrListAsync(AssistantQuestion question, Filters filters, CancellationToken cancellationToken)
    {
        if (filters.UnknownServices.Count > 0 && filters.Services.Count == 0)
        {
            return await NoSuchServiceAsync(question, filters.UnknownServices, cancellationToken);
        }

        var filter = question.DeclaredInFrame
            ? Filter(question, filters) with { DeclaredFrom = question.Since, DeclaredUntil = question.Until }
            : Filter(question, filters) with { ActiveFrom = question.Since, ActiveUntil = question.Until };
        var (count, incidents) = await FindAsync(filter, question, filters, question.Kind == QuestionKind.Count ? 10 : MaxListed, cancellationToken);
        var description = Describe(question, filters, question.DeclaredInFrame ? "declared" : "open at some time");

        var writer = new AnswerWriter();
        writer.Line(count == 0
            ? $"No {description}."
            : $"**{count}** {(count == 1 ? Singular(description) : description)}{(incidents.Count < count ? $" (the {incidents.Count} most recent below)" : "")}:");
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        if (incidents.Count > 0)
        {
            writer.Line();
        }

        foreach (var incident in incidents)
        {
            var brief = IncidentBrief.Of(incident);
            var serviceList = incident.Services.Count == 0 ? "" : $", services {string.Join(", ", incident.Services)}";
            var commander = incident.CommanderId is null ? "" : $", commander {AnswerWriter.Person(incident.CommanderId)}";
            writer.Bullet($"{AnswerWriter.Describe(brief)} — {IncidentHits.When(brief)}{serviceList}{commander}", new Citation(incident.Number));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. incidents.Select(IncidentBrief.Of)],
            Count = count,
        };
    }

    /// <summary>
    /// A mean time over the incidents declared in the time frame, computed as /api/stats computes it
    /// (<see cref="IncidentStats"/>): MTTR over the resolved ones, MTTD over those whose impact start is known. The
    /// incidents left out are said.
    /// </summary>
    public async Task<QuestionAnswer> MeanTimeAsync(AssistantQuestion question, Filters filters, MeanFigure figure, CancellationToken cancellationToken)
    {
        var filter = Filter(question, filters) with { DeclaredFrom = question.Since, DeclaredUntil = question.Until };
        var (_, incidents) = await FindAsync(filter, question, filters, IncidentFilter.MaxLimit, cancellationToken);
        var counted = incidents.Where(i => figure.Of(i) is not null).ToList();
        var description = Describe(question, filters, "declared");
        var writer = new AnswerWriter();
        var mean = figure.Mean(counted.Select(figure.Of));
        writer.Line(mean is { } m
            ? $"**{figure.Name}: {AnswerWriter.Duration(m)}**, {figure.Meaning} of the {figure.Counted(counted.Count, counted.Count == 1 ? Singular(description) : description)}:"
            : figure.NoneCounted(incidents.Count, description));
        writer.Line($"_{AnswerWriter.Capitalized(AnswerWriter.EngineNote)}._");
        if (counted.Count > 0)
        {
            writer.Line();
        }

        foreach (var incident in counted.Take(MaxListed))
        {
            writer.Bullet($"{AnswerWriter.Describe(IncidentBrief.Of(incident))} — {figure.Each(figure.Of(incident)!.Value)}", new Citation(incident.Number));
        }

        var left = incidents.Where(i => figure.Of(i) is null).ToList();
        if (left.Count > 0 && counted.Count > 0)
        {
            writer.Line().Line(figure.NotCounted(left));
        }

        return new QuestionAnswer
        {
            Kind = question.KindName,
            Text = writer.Finish(),
            Citations = writer.Citations,
            Incidents = [.. counted.Take(MaxListed).Select(IncidentBrief.Of)],
            Count = counted.Count,
            Duration = mean,
        };
    }

    internal static IncidentFilter Filter(AssistantQuestion question, Filters filters) => new()
    {
        Statuses = question.Statuses.Count > 0 ? question.Statuses : null,
        Severities = question.Severities.Count > 0 ? question.Severities : null,
        Services = filters.Services.Count > 0 ? filters.Services : null,
        InvolvingUser = question.Person?.Role == PersonRole.Involved ? filters.PersonId : null,
    };

    /// <summary>
    /// The count and the most recent incidents that pass; with title words or a commander or declarer, counted among
    /// those the store returns.
    /// </summary>
    internal async Task<(int Count, IReadOnlyList<Incident> Incidents)> FindAsync(
        IncidentFilter filter, AssistantQuestion question, Filters filters, int limit, CancellationToken cancellationToken)
    {
        var titleWords = filters.TitleWords;
        var role = question.Person?.Role;
        if (titleWords.Count == 0 && role is not (PersonRole.Commander or PersonRole.Declarer))
        {
            var count = await plugin.CountAsync(filter, cancellationToken);
            return (count, count == 0 ? [] : await plugin.FindAsync(filter with { Limit = limit }, cancellationToken));
        }

        var all = await plugin.FindAsync(filter with { Limit = IncidentFilter.MaxLimit }, cancellationToken);
        var matching = all.Where(i => SearchWords.FoundIn(i.Title, titleWords).Count == titleWords.Count
            && role switch
            {
                PersonRole.Commander => i.CommanderId == filters.PersonId,
                PersonRole.Declarer => i.DeclaredBy == filters.PersonId,
                _ => true,
            }).ToList();
        return (matching.Count, matching.Take(limit).ToList());
    }

    /// <summary>"payments" finds the services named payments, payment, payments-api, checkout-payments ….</summary>
    private static (IReadOnlyList<string> Services, IReadOnlyList<string> Unknown) Match(IReadOnlyList<string> words, IReadOnlyList<string> known)
    {
        var services = new List<string>();
        var unknown = new List<string>();
        foreach (var word in words)
        {
            var stem = SearchWords.Stem(word);
            var matching = known.Where(name => name == word
                || SearchTerms.SplitWords(name).Any(part => part.Length > 2 && part is not ("api" or "app" or "web") && (part == word || SearchWords.Stem(part) == stem))).ToList();
            (matching.Count == 0 ? unknown : services).AddRange(matching.Count == 0 ? [word] : matching.Except(services));
        }

        return (services, unknown);
    }

    /// <summary>No service has that name: say so, and list the services there are.</summary>
    private async Task<QuestionAnswer> NoSuchServiceAsync(AssistantQuestion question, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var known = await plugin.ListServicesAsync(cancellationToken);
        var text = $"No incident has a service named {IncidentHits.Quote(words)}, so none matches. "
            + $"The services incidents have: {(known.Count == 0 ? "none yet" : string.Join(", ", known))}.";
        return QuestionHelp.Plain(question, text) with { Count = 0 };
    }

    internal static string Describe(AssistantQuestion question, Filters filters, string window)
    {
        var parts = new List<string>();
        if (question.Statuses.Count > 0)
        {
            parts.Add(question.Statuses.All(IncidentStatusText.IsOpen) && question.Statuses.Count == 2
                ? "ongoing (active or stable)"
                : string.Join(" or ", question.Statuses.Select(s => s.ToLabel())));
        }

        if (question.Severities.Count > 0)
        {
            parts.Add(string.Join(" or ", question.Severities.Select(s => s.ToLabel())));
        }

        parts.Add("incidents");
        if (filters.TitleWords.Count > 0)
        {
            parts.Add($"whose title mentions {IncidentHits.Quote(filters.TitleWords)}");
        }

        if (filters.Services.Count > 0)
        {
            parts.Add($"that affected {string.Join(" or ", filters.Services)}");
        }

        if (filters.PersonId is { } person)
        {
            parts.Add(question.Person!.Role switch
            {
                PersonRole.Commander => $"commanded by {AnswerWriter.Person(person)}",
                PersonRole.Declarer => $"declared by {AnswerWriter.Person(person)}",
                _ => $"declared or commanded by {AnswerWriter.Person(person)}",
            });
        }

        if (question.Window is { } frame)
        {
            parts.Add($"{window} {frame}");
        }

        return string.Join(" ", parts);
    }

    internal static string Singular(string description) => description.Replace("incidents", "incident", StringComparison.Ordinal);
}

/// <summary>A mean time over incidents: the time of one incident it is the mean of, and how an answer says it.</summary>
/// <param name="Counted">The incidents the mean is over, from their number and description: "3 resolved incidents declared this month".</param>
/// <param name="NoneCounted">The answer when no incident has the time, from how many there are and their description.</param>
/// <param name="NotCounted">What is said of the incidents left out.</param>
/// <param name="Each">One incident's time, after its name.</param>
internal sealed record MeanFigure(
    string Name,
    string Meaning,
    Func<Incident, TimeSpan?> Of,
    Func<IEnumerable<TimeSpan?>, TimeSpan?> Mean,
    Func<int, string, string> Counted,
    Func<int, string, string> NoneCounted,
    Func<IReadOnlyList<Incident>, string> NotCounted,
    Func<TimeSpan, string> Each)
{
    public const string ImpactStartHint = "An impact start is set with `/incident impact-start <time>`, or `impactStartedAt` over REST.";

    public static readonly MeanFigure TimeToResolve = new(
        "MTTR",
        "the mean time from declaration to resolution",
        incident => incident.TimeToResolve,
        IncidentStats.MeanTimeToResolveOf,
        (count, description) => $"{count} resolved {description}",
        (_, description) => $"No resolved {description}, so there is no MTTR to give.",
        open => $"{open.Count} more {(open.Count == 1 ? "is" : "are")} not resolved yet and {(open.Count == 1 ? "is" : "are")} not counted.",
        duration => $"resolved in {AnswerWriter.Duration(duration)}");

    public static readonly MeanFigure TimeToDetect = new(
        "MTTD",
        "the mean time from the start of the impact to the declaration",
        incident => incident.TimeToDetect,
        IncidentStats.MeanTimeToDetectOf,
        (count, description) => $"{count} {description} with an impact-start time",
        (total, description) => total == 0
            ? $"No {description}, so there is no MTTD to give."
            : $"None of the {total} {(total == 1 ? IncidentSets.Singular(description) : description)} has an impact-start time, so there is no MTTD to give. {ImpactStartHint}",
        unknown => $"{unknown.Count} more {(unknown.Count == 1 ? "has" : "have")} no impact-start time and {(unknown.Count == 1 ? "is" : "are")} not counted: "
            + $"{string.Join(", ", unknown.Take(IncidentSets.MaxListed).Select(i => i.Reference))}{(unknown.Count > IncidentSets.MaxListed ? ", …" : "")}. {ImpactStartHint}",
        duration => $"declared {AnswerWriter.Duration(duration)} after the impact started");
}
