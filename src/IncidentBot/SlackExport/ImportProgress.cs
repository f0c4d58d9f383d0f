namespace IncidentBot.SlackExport;

/// <summary>
/// How far an import is. On a terminal, a bar redrawn in place; redirected to a file or a pipe, a line at each tenth
/// of the channels, so a log shows it is moving without a line per channel. Other lines (a bad file) go above the bar.
/// </summary>
public sealed class ImportProgress(TextWriter output, bool terminal, int channels)
{
    private const int BarWidth = 30;

    private int lastTenth;
    private bool barShown;

    public void Advance(int channelsDone, long messages)
    {
        if (terminal)
        {
            var filled = channels == 0 ? BarWidth : channelsDone * BarWidth / channels;
            output.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {channelsDone:N0}/{channels:N0} channels, {messages:N0} messages");
            output.Flush();
            barShown = true;
            return;
        }

        var tenth = channels == 0 ? 10 : channelsDone * 10 / channels;
        if (tenth > lastTenth)
        {
            lastTenth = tenth;
            output.WriteLine($"{channelsDone:N0}/{channels:N0} channels ({tenth * 10}%), {messages:N0} messages");
        }
    }

    public void Say(string line)
    {
        EndBar();
        output.WriteLine(line);
    }

    public void EndBar()
    {
        if (barShown)
        {
            output.WriteLine();
            barShown = false;
        }
    }
}
