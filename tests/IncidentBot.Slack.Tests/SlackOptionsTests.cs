using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Slack.Tests;

public sealed class SlackOptionsTests
{
    [Fact]
    public void HttpModeWithBotTokenAndSigningSecretIsValid()
    {
        Assert.Empty(Validate(new SlackOptions { BotToken = "xoxb-1", SigningSecret = "s" }));
    }

    [Fact]
    public void SocketModeNeedsNoSigningSecret()
    {
        Assert.Empty(Validate(new SlackOptions { BotToken = "xoxb-1", AppToken = "xapp-1" }));
    }

    [Fact]
    public void AMissingBotTokenIsReported()
    {
        var errors = Validate(new SlackOptions { SigningSecret = "s" });

        Assert.Contains(errors, error => error.MemberNames.Contains(nameof(SlackOptions.BotToken)));
    }

    [Fact]
    public void NeitherSigningSecretNorAppTokenIsReported()
    {
        var errors = Validate(new SlackOptions { BotToken = "xoxb-1" });

        Assert.Contains(errors, error => error.MemberNames.Contains(nameof(SlackOptions.SigningSecret)));
    }

    [Fact]
    public void AHandlerTimeoutBeyondSlacksThreeSecondsIsReported()
    {
        var errors = Validate(new SlackOptions { BotToken = "xoxb-1", SigningSecret = "s", SynchronousHandlerTimeout = TimeSpan.FromSeconds(5) });

        Assert.Contains(errors, error => error.MemberNames.Contains(nameof(SlackOptions.SynchronousHandlerTimeout)));
    }

    [Fact]
    public void SocketModeKeepsTwoConnectionsByDefault()
    {
        Assert.Equal(2, new SlackOptions().SocketModeConnections);
    }

    [Fact]
    public void MoreSocketModeConnectionsThanSlackAllowsAreReported()
    {
        var errors = Validate(new SlackOptions { BotToken = "xoxb-1", AppToken = "xapp-1", SocketModeConnections = 11 });

        Assert.Contains(errors, error => error.MemberNames.Contains(nameof(SlackOptions.SocketModeConnections)));
    }

    [Fact]
    public void AMaximumReconnectDelayBelowTheFirstIsReported()
    {
        var errors = Validate(new SlackOptions
        {
            BotToken = "xoxb-1",
            AppToken = "xapp-1",
            SocketModeReconnectDelay = TimeSpan.FromSeconds(10),
            SocketModeMaxReconnectDelay = TimeSpan.FromSeconds(5),
        });

        Assert.Contains(errors, error => error.MemberNames.Contains(nameof(SlackOptions.SocketModeMaxReconnectDelay)));
    }

    private static List<ValidationResult> Validate(SlackOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
