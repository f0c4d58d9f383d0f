using System.Security.Cryptography;
using System.Text;
using IncidentBot.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentBot.Api;

/// <summary>Marks endpoints that need <c>Authorization: Bearer &lt;key&gt;</c> with a key from <c>Api:Keys</c>.</summary>
internal class RequiresApiKey
{
    public static readonly RequiresApiKey Instance = new();

    /// <summary>Whether this request must show a key: always, unless the endpoint makes it a setting.</summary>
    public virtual bool AppliesTo(HttpContext context) => true;
}

/// <summary>
/// Checks the bearer key after routing and before the endpoint runs, so an unauthenticated request
/// is refused before any of its body is read.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, IProblemDetailsService problems)
{
    // Compared as SHA-256 digests so that the comparison takes the same time whatever the key's length.
    private readonly byte[][] keyDigests = options.Value.Keys.Select(key => Digest(key.Trim())).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is not { } requirement || !requirement.AppliesTo(context)
            || IsAuthorized(context.Request))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = Explain(context.Request) },
        });
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Digest(header["Bearer ".Length..].Trim());
        var matched = false;
        foreach (var digest in keyDigests)
        {
            matched |= CryptographicOperations.FixedTimeEquals(presented, digest);
        }

        return matched;
    }

    private string Explain(HttpRequest request) =>
        keyDigests.Length == 0 ? "The REST API is closed: no API keys are configured (Api:Keys)."
        : request.Headers.Authorization.Count == 0 ? "Send an API key as 'Authorization: Bearer <key>'."
        : "The API key is not valid.";

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

internal static class ApiKeyExtensions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiresApiKey.Instance);
}
