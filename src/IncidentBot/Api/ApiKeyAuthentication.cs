using System.Security.Cryptography;
using System.Text;
using IncidentBot.Configuration;
using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Api;

/// <summary>Marks endpoints that need <c>Authorization: Bearer &lt;key&gt;</c> with a key from <c>Api:Keys</c>.</summary>
internal class RequiresApiKey
{
    public static readonly RequiresApiKey Instance = new();

    /// <summary>Whether this request must show a key: always, unless the endpoint makes it a setting.</summary>
    public virtual bool AppliesTo(HttpContext context) => true;
}

/// <summary>What the request's key may see of the incidents; read by the endpoints that show incidents (<see cref="ApiKeyExtensions.SeenByTheApiKey"/>).</summary>
internal sealed record ApiKeyAudience(IncidentAudience Audience);

/// <summary>
/// Checks the bearer key after routing and before the endpoint runs, so an unauthenticated request
/// is refused before any of its body is read.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, IProblemDetailsService problems)
{
    // Compared as SHA-256 digests so that the comparison takes the same time whatever the key's length.
    private readonly byte[][] keyDigests = options.Value.AllKeys.Select(key => Digest(key.Trim())).ToArray();
    private readonly byte[][] privateIncidentKeyDigests = options.Value.PrivateIncidentKeys.Select(key => Digest(key.Trim())).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is not { } requirement || !requirement.AppliesTo(context))
        {
            await next(context);
            return;
        }

        if (PresentedKey(context.Request) is { } presented && Matches(presented, keyDigests))
        {
            var audience = Matches(presented, privateIncidentKeyDigests) ? IncidentAudience.Everyone : IncidentAudience.PublicOnly;
            context.Features.Set(new ApiKeyAudience(audience));
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

    private static byte[]? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Digest(header["Bearer ".Length..].Trim()) : null;
    }

    private static bool Matches(byte[] presented, byte[][] digests)
    {
        var matched = false;
        foreach (var digest in digests)
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

    /// <summary>
    /// The endpoints read incidents as the request's key may see them: a key of <c>Api:PrivateIncidentKeys</c> sees
    /// every incident, any other key no private one (<see cref="IncidentViewer"/>).
    /// </summary>
    public static TBuilder SeenByTheApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var audience = context.HttpContext.Features.Get<ApiKeyAudience>()?.Audience ?? IncidentAudience.PublicOnly;
            using (IncidentViewer.As(audience))
            {
                return await next(context);
            }
        });
}
