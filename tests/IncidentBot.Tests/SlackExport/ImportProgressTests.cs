using IncidentBot.SlackExport;

namespace IncidentBot.Tests.SlackExport;

public sealed class ImportProgressTests
{
    [Fact]
    public void OnATerminalTheBarIsRedrawnInPlaceAndOtherLinesGoAboveIt()
    {
        var output = new StringWriter();
        var progress = new ImportProgress(output, terminal: true, channels: 4);

        progress.Advance(1, 250);
        progress.Say("Skipped export/incident-2/2025-03-01.json: bad JSON");
        progress.Advance(2, 500);
        progress.EndBar();

        Assert.Equal(
            "\r[#######-----------------------] 1/4 channels, 250 messages\n"
            + "Skipped export/incident-2/2025-03-01.json: bad JSON\n"
            + "\r[###############---------------] 2/4 channels, 500 messages\n",
            output.ToString().Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void RedirectedItWritesALineAtEachTenthOfTheChannels()
    {
        var output = new StringWriter();
        var progress = new ImportProgress(output, terminal: false, channels: 30);

        for (var done = 1; done <= 30; done++)
        {
            progress.Advance(done, done * 100L);
        }

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(10, lines.Length);
        Assert.Equal("3/30 channels (10%), 300 messages", lines[0]);
        Assert.Equal("30/30 channels (100%), 3,000 messages", lines[^1]);
    }
}
