using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using IncidentBot.Incidents;

namespace IncidentBot.SlackExport;

/// <param name="ChannelPatterns">Which channels are incidents, by name: <c>*</c> any characters, <c>?</c> one.</param>
/// <param name="WorkspaceUrl">Where the workspace is (<c>https://acme.slack.com/</c>), for permalinks of the messages.</param>
public sealed record SlackExportImportOptions(IReadOnlyList<string> ChannelPatterns, Uri? WorkspaceUrl = null)
{
    public static readonly IReadOnlyList<string> DefaultPatterns = ["incident-*"];
}

/// <summary>What an import did, for its last line.</summary>
/// <param name="AlreadyThere">Channels whose incident was there before (imported earlier, or declared in the channel).</param>
/// <param name="Empty">Channels without a message to tell, which make no incident.</param>
public sealed record SlackExportSummary(
    int Channels, int Created, int Renumbered, int AlreadyThere, int Empty, long Messages, IReadOnlyList<BadExportFile> BadFiles)
{
    public override string ToString() =>
        $"{Channels:N0} channels: {Created:N0} incidents created{(Renumbered > 0 ? $" ({Renumbered:N0} under a new number)" : "")}, "
        + $"{AlreadyThere + Empty:N0} skipped ({AlreadyThere:N0} already there, {Empty:N0} empty), {Messages:N0} messages added, "
        + $"{BadFiles.Count:N0} bad files";
}

/// <summary>
/// Turns the incident channels of a workspace export into past incidents, one <see cref="IncidentService.ImportAsync"/>
/// each (its whole timeline in one transaction). Channels with a number in their name go first, so the numbers given
/// to channels without one do not take theirs.
/// </summary>
public sealed class SlackExportImporter(IncidentService incidents)
{
    /// <param name="progressOf">The progress report for so many channels; none by default.</param>
    public async Task<SlackExportSummary> RunAsync(
        SlackExportArchive archive, SlackExportImportOptions options, Func<int, ImportProgress>? progressOf = null,
        CancellationToken cancellationToken = default)
    {
        var contents = new SlackExportContents(archive);
        var bad = new List<BadExportFile>();
        var matches = Matcher(options.ChannelPatterns);
        var channels = contents.ReadChannels(bad)
            .Where(c => matches(c.Name))
            .OrderBy(c => ChannelIncidents.NumberOf(c.Name) ?? long.MaxValue)
            .ThenBy(c => c.Created)
            .ToList();
        var names = contents.ReadUserNames(bad);
        var progress = progressOf?.Invoke(channels.Count) ?? new ImportProgress(TextWriter.Null, false, channels.Count);
        Report(progress, bad, 0);

        var (created, renumbered, there, empty, messages, done) = (0, 0, 0, 0, 0L, 0);
        await foreach (var (channel, import, badFiles) in ReadAheadAsync(contents, channels, names, options, cancellationToken))
        {
            bad.AddRange(badFiles);
            Report(progress, bad, bad.Count - badFiles.Count);
            if (import is null)
            {
                empty++;
            }
            else
            {
                var result = await incidents.ImportAsync(import, cancellationToken);
                messages += result.MessagesAdded;
                created += result.Created ? 1 : 0;
                there += result.Created ? 0 : 1;
                if (result.Renumbered)
                {
                    renumbered++;
                    progress.Say($"#{channel.Name}: {IncidentReference.Format(import.Number!.Value)} is another incident; imported as {result.Incident.Reference}");
                }
            }

            progress.Advance(++done, messages);
        }

        progress.EndBar();
        return new SlackExportSummary(channels.Count, created, renumbered, there, empty, messages, bad);
    }

    /// <summary>The channels read and told as incidents a few ahead of the one being stored, so reading and writing overlap.</summary>
    private static async IAsyncEnumerable<(ExportChannel Channel, IncidentImport? Import, List<BadExportFile> BadFiles)> ReadAheadAsync(
        SlackExportContents contents, IReadOnlyList<ExportChannel> channels, IReadOnlyDictionary<string, string> names,
        SlackExportImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ready = Channel.CreateBounded<(ExportChannel, IncidentImport?, List<BadExportFile>)>(
            new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(async () =>
        {
            try
            {
                foreach (var channel in channels)
                {
                    var bad = new List<BadExportFile>();
                    var import = ChannelIncidents.From(channel, contents.ReadMessages(channel, bad), names, options.WorkspaceUrl);
                    await ready.Writer.WriteAsync((channel, import, bad), stop.Token);
                }

                ready.Writer.Complete();
            }
            catch (Exception e)
            {
                ready.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in ready.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            // A write that failed stops the reading too.
            await stop.CancelAsync();
            await reading;
        }
    }

    private static void Report(ImportProgress progress, List<BadExportFile> bad, int from)
    {
        foreach (var file in bad.Skip(from))
        {
            progress.Say($"Skipped {file.Path}: {file.Problem}");
        }
    }

    private static Func<string, bool> Matcher(IReadOnlyList<string> patterns)
    {
        var regex = new Regex(
            "^(?:" + string.Join("|", patterns.Select(p => Regex.Escape(p.Trim()).Replace(@"\*", ".*").Replace(@"\?", "."))) + ")$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return regex.IsMatch;
    }
}
