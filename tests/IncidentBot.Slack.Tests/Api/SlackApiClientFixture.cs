using IncidentBot.Slack.Api;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Api;

/// <summary>An <see cref="ISlackApiClient"/> wired as the application wires it, pointed at a fresh FakeSlack.</summary>
internal sealed class SlackApiClientFixture : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private SlackApiClientFixture(FakeSlack fake, ServiceProvider services, FakeClock time)
    {
        Fake = fake;
        this.services = services;
        Time = time;
    }

    public FakeSlack Fake { get; }
    public FakeClock Time { get; }
    public ISlackApiClient Client => services.GetRequiredService<ISlackApiClient>();
    public ResponseUrlClient ResponseUrls => services.GetRequiredService<ResponseUrlClient>();
    public SlackRateLimits RateLimits => services.GetRequiredService<SlackRateLimits>();

    public static async Task<SlackApiClientFixture> StartAsync(Action<SlackOptions>? configure = null, string? botToken = null)
    {
        var fake = await FakeSlack.StartAsync();
        var time = new FakeClock();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddSlack(options =>
        {
            options.BotToken = botToken ?? fake.BotToken;
            options.AppToken = fake.AppToken;
            options.SigningSecret = "unused";
            options.ApiBaseUrl = fake.ApiBaseUrl;
            // Zero backoff for 5xx keeps those tests off the clock; 429 delays come from Retry-After.
            options.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(options);
        });
        return new SlackApiClientFixture(fake, collection.BuildServiceProvider(), time);
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
