using IncidentBot.Configuration;
using IncidentBot.Slack;
using IncidentBot.Slack.AspNetCore;
using IncidentBot.SlackApp;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

/// <summary>Switches for the load benchmark in <c>bench/</c>; all off in production.</summary>
public sealed class BenchOptions
{
    public const string Section = "Bench";

    /// <summary>
    /// Maps <c>POST /slack/baseline</c>, which verifies a Slack signature and answers 200 and does nothing
    /// else: the ceiling the real Slack endpoints are measured against on the same machine.
    /// </summary>
    public bool BaselineEndpoint { get; set; }
}

internal sealed class BenchOptionsValidator(IConfiguration configuration) : IValidateOptions<BenchOptions>
{
    public ValidateOptionsResult Validate(string? name, BenchOptions options) =>
        options.BaselineEndpoint && !(configuration.IsSlackConfigured() && HasSigningSecret)
            ? ValidateOptionsResult.Fail("Bench:BaselineEndpoint needs Slack:BotToken and Slack:SigningSecret: it verifies signatures like the Slack endpoints.")
            : ValidateOptionsResult.Success;

    private bool HasSigningSecret =>
        !string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.SectionName}:{nameof(SlackOptions.SigningSecret)}"]);
}

public static class BenchEndpoints
{
    public const string BaselinePath = "/slack/baseline";

    public static IHostApplicationBuilder AddBench(this IHostApplicationBuilder builder) =>
        builder.AddCheckedOptions<BenchOptions, BenchOptionsValidator>(BenchOptions.Section);

    /// <summary>Maps the baseline endpoint when <c>Bench:BaselineEndpoint</c> is true and Slack is configured.</summary>
    public static WebApplication MapBenchEndpoints(this WebApplication app)
    {
        var enabled = app.Configuration.GetValue<bool>($"{BenchOptions.Section}:{nameof(BenchOptions.BaselineEndpoint)}");
        if (enabled && app.Configuration.IsSlackConfigured())
        {
            app.MapPost(BaselinePath, HandleBaselineAsync).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// Reads and verifies the body as <c>VerifiedBodyReader</c> does for the real endpoints (that class is internal
    /// to the transport, so its few lines are mirrored here: a capped copy through a 16 KiB buffer, then the same
    /// <see cref="SlackSignatureVerifier"/>), and stops there.
    /// </summary>
    private static async Task<IResult> HandleBaselineAsync(
        HttpContext context, SlackSignatureVerifier verifier, IOptions<SlackOptions> options, ILogger<BenchOptions> logger)
    {
        var request = context.Request;
        var maxBytes = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var check = verifier.Verify(
            request.Headers[SlackSignatureVerifier.TimestampHeader],
            request.Headers[SlackSignatureVerifier.SignatureHeader],
            buffer.ToArray());
        if (check.IsValid)
        {
            return Results.Ok();
        }

        logger.LogWarning("Refused a Slack request to {Path}: {Reason}", request.Path, check.FailureReason);
        return Results.Unauthorized();
    }
}
