using System.Diagnostics.Metrics;
using IncidentBot.Cluster;
using IncidentBot.Incidents;
using IncidentBot.Slack;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage;

namespace IncidentBot.Telemetry;

/// <summary>
/// The product's own instruments, every one of them, on one meter named for the product. Each is recorded where its
/// thing happens: Slack's acks and Web API calls in the transport (through <see cref="ISlackMetrics"/>), declarations
/// and status changes in <see cref="IncidentService"/>, answers and fallbacks in <c>FeatureSteps</c>, reminders where they are posted. What is counted
/// is low in cardinality (a Slack method, a severity, an engine), never a user, a channel or a text.
/// </summary>
public sealed class IncidentBotMetrics : ISlackMetrics
{
    public const string MeterName = "IncidentBot";

    // Seconds, from an ack's few milliseconds to a model answer's tens of seconds.
    private static readonly TimeSpan ObserveTimeout = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

    private readonly Counter<long> slackAcknowledged;
    private readonly Histogram<double> slackProcessingLag;
    private readonly Counter<long> slackCalls;
    private readonly Counter<long> slackRateLimited;
    private readonly Counter<long> assistantAnswers;
    private readonly Histogram<double> assistantDuration;
    private readonly Counter<long> assistantFallbacks;
    private readonly Counter<long> declared;
    private readonly Counter<long> statusChanges;
    private readonly Counter<long> remindersSent;

    /// <param name="services">
    /// Where the gauges find the storage they read, at each collection: the instruments are made with the meter
    /// provider, while the app is mapped, before the configuration (and so the storage) has been checked.
    /// </param>
    public IncidentBotMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        slackAcknowledged = meter.CreateCounter<long>("incidentbot.slack.acknowledged", "{payload}",
            "Payloads from Slack answered within its 3 seconds, by type (event type, slash_command, block_actions, view_submission) and outcome.");
        slackProcessingLag = meter.CreateHistogram("incidentbot.slack.processing.lag", "s",
            "From Slack's ack to the end of the work it started, by kind (event, block actions).", advice: Buckets);
        slackCalls = meter.CreateCounter<long>("incidentbot.slack.api.calls", "{call}",
            "Slack Web API calls, after their retries, by method and outcome (ok, Slack's error code, http_<status>, unreachable, cancelled).");
        slackRateLimited = meter.CreateCounter<long>("incidentbot.slack.api.rate_limited", "{response}",
            "Slack Web API attempts answered 429, retried or not, by method.");
        assistantAnswers = meter.CreateCounter<long>("incidentbot.assistant.answers", "{answer}",
            "Answers asked of an assistant engine, by feature, engine (model, deterministic) and outcome (answered, failed).");
        assistantDuration = meter.CreateHistogram("incidentbot.assistant.duration", "s",
            "How long an engine took to answer or fail, by feature, engine and outcome.", advice: Buckets);
        assistantFallbacks = meter.CreateCounter<long>("incidentbot.assistant.fallbacks", "{answer}",
            "Answers the deterministic engine gave because the model did not, by feature and reason (unavailable: down, slow, rate-limited; error: a defect).");
        declared = meter.CreateCounter<long>("incidentbot.incidents.declared", "{incident}", "Incidents declared, by severity.");
        statusChanges = meter.CreateCounter<long>("incidentbot.incidents.status_changes", "{change}", "Status changes, by the status left and the status entered.");
        remindersSent = meter.CreateCounter<long>("incidentbot.reminders.sent", "{reminder}",
            "Reminders posted in an incident channel that went without an update, by the incident's severity.");
        meter.CreateObservableGauge("incidentbot.incidents.open",
            () => Observe(token => OpenBySeverityAsync(services.GetRequiredService<IIncidentReader>(), token)), "{incident}",
            "Open (active or stable) incidents, by severity, as the storage has them.");
        meter.CreateObservableGauge("incidentbot.slack.inbox.pending",
            () => Observe(async token => [new Measurement<int>(await services.GetRequiredService<ISlackInboxStore>().CountPendingAsync(token))]),
            "{item}", "Work accepted from Slack and not yet run, as the inbox's storage has it.");
        meter.CreateObservableGauge("incidentbot.jobs.held", () => HeldJobs(services.GetRequiredService<ClusterJobs>()), "{job}",
            "Cluster-wide jobs by name: 1 while this replica holds the job's lease (and runs it), else 0.");
    }

    private static InstrumentAdvice<double> Buckets { get; } = new() { HistogramBucketBoundaries = DurationBuckets };

    public void Acknowledged(string type, string outcome) =>
        slackAcknowledged.Add(1, new("type", type), new("outcome", outcome));

    public void Processed(SlackWorkKind kind, TimeSpan lag) =>
        slackProcessingLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("kind", Snake(kind.ToString())));

    public void Called(string method, string outcome) =>
        slackCalls.Add(1, new("method", method), new("outcome", outcome));

    public void RateLimited(string method) =>
        slackRateLimited.Add(1, new KeyValuePair<string, object?>("method", method));

    public void Answered(string feature, string engine, bool answered, TimeSpan duration)
    {
        var outcome = answered ? "answered" : "failed";
        assistantAnswers.Add(1, new("feature", feature), new("engine", engine), new("outcome", outcome));
        assistantDuration.Record(duration.TotalSeconds, new("feature", feature), new("engine", engine), new("outcome", outcome));
    }

    /// <param name="expected">The step said it was unavailable (down, slow, rate-limited) rather than failing unexpectedly.</param>
    public void FellBack(string feature, string engine, bool expected) =>
        assistantFallbacks.Add(1, new("feature", feature), new("engine", engine), new("reason", expected ? "unavailable" : "error"));

    public void Declared(Incident incident) =>
        declared.Add(1, new KeyValuePair<string, object?>("severity", incident.Severity.ToLabel()));

    public void StatusChanged(IncidentStatus from, IncidentStatus to) =>
        statusChanges.Add(1, new("from", from.ToLabel()), new("to", to.ToLabel()));

    public void Reminded(Incident incident) =>
        remindersSent.Add(1, new KeyValuePair<string, object?>("severity", incident.Severity.ToLabel()));

    private static IEnumerable<Measurement<int>> HeldJobs(ClusterJobs jobs) =>
        ClusterJob.All.Select(job => new Measurement<int>(jobs.Holds(job) ? 1 : 0, new KeyValuePair<string, object?>("job", job)));

    private static async Task<IEnumerable<Measurement<int>>> OpenBySeverityAsync(IIncidentReader incidents, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement<int>>();
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var open = await incidents.CountAsync(new IncidentFilter { Statuses = IncidentFilter.OpenStatuses, Severities = [severity] }, cancellationToken);
            measurements.Add(new Measurement<int>(open, new KeyValuePair<string, object?>("severity", severity.ToLabel())));
        }

        return measurements;
    }

    /// <summary>
    /// Observable instruments are read synchronously, at each scrape or export. A storage that does not answer in time
    /// leaves its gauges out of that collection: /readyz is where its absence is reported.
    /// </summary>
    private static IEnumerable<Measurement<int>> Observe(Func<CancellationToken, Task<IEnumerable<Measurement<int>>>> read)
    {
        using var timeout = new CancellationTokenSource(ObserveTimeout);
        try
        {
            return read(timeout.Token).WaitAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return [];
        }
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));
}
