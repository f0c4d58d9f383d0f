using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Testing;

/// <summary>A Slack user as Sign in with Slack names them in its id_token.</summary>
public sealed record FakeSignInUser(string UserId, string TeamId, string Name);

/// <summary>
/// An OpenID Connect provider on 127.0.0.1 that speaks like Sign in with Slack: a discovery document, its RSA key as
/// a JWKS, an authorize endpoint that approves at once as <see cref="SignInAs"/> says (no login page), and a token
/// endpoint that checks the client, the code, the redirect and PKCE before it hands out an RS256-signed id_token with
/// Slack's claims (<c>https://slack.com/team_id</c>, <c>https://slack.com/user_id</c>).
/// </summary>
public sealed class FakeOpenId : IAsyncDisposable
{
    public const string ClientId = "1234567890.0987654321";
    public const string ClientSecret = "fake-openid-client-secret";
    public const string TeamIdClaim = "https://slack.com/team_id";
    public const string UserIdClaim = "https://slack.com/user_id";

    private readonly WebApplication app;
    private readonly RSA key = RSA.Create(2048);
    private readonly string keyId = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<string, PendingCode> codes = new(StringComparer.Ordinal);
    private FakeSignInUser user;
    private int tokensIssued;

    private FakeOpenId(WebApplication app, FakeSignInUser user)
    {
        this.app = app;
        this.user = user;
    }

    /// <summary>http://127.0.0.1:{port} (no trailing slash): the issuer and what to configure as the authority.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>How many id_tokens the token endpoint handed out.</summary>
    public int TokensIssued => Volatile.Read(ref tokensIssued);

    public static async Task<FakeOpenId> StartAsync(FakeSignInUser user)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeOpenId(builder.Build(), user);
        fake.MapRoutes();
        await fake.app.StartAsync();
        fake.Authority = fake.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Who the next sign-ins are approved as.</summary>
    public void SignInAs(FakeSignInUser next) => user = next;

    private void MapRoutes()
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = $"{Authority}/openid/connect/authorize",
            ["token_endpoint"] = $"{Authority}/api/openid.connect.token",
            ["jwks_uri"] = $"{Authority}/openid/connect/keys",
            ["scopes_supported"] = new JsonArray("openid", "profile", "email"),
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
            ["claims_supported"] = new JsonArray("sub", "auth_time", "iss", "name", TeamIdClaim, UserIdClaim),
        }));
        app.MapGet("/openid/connect/keys", () =>
        {
            var parameters = key.ExportParameters(includePrivateParameters: false);
            return Results.Json(new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = keyId,
                    ["n"] = Base64Url(parameters.Modulus!), ["e"] = Base64Url(parameters.Exponent!),
                }),
            });
        });
        app.MapGet("/openid/connect/authorize", Authorize);
        app.MapPost("/api/openid.connect.token", TokenAsync);
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["response_type"] != "code" || string.IsNullOrEmpty(query["redirect_uri"]))
        {
            return Results.BadRequest("invalid_request");
        }

        var code = Guid.NewGuid().ToString("N");
        codes[code] = new PendingCode(user, query["redirect_uri"]!, query["nonce"], query["code_challenge"]);
        var redirect = QueryHelpers.AddQueryString(query["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] });
        return Results.Redirect(redirect);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { ok = false, error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var pending)
            || form["redirect_uri"] != pending.RedirectUri || !PkceHolds(pending.CodeChallenge, form["code_verifier"]))
        {
            return Results.Json(new { ok = false, error = "invalid_grant" }, statusCode: 400);
        }

        Interlocked.Increment(ref tokensIssued);
        return Results.Json(new JsonObject
        {
            ["ok"] = true,
            ["access_token"] = "xoxp-fake-" + Guid.NewGuid().ToString("N"),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["id_token"] = IdToken(pending),
        });
    }

    private static bool PkceHolds(string? challenge, string? verifier) =>
        challenge is null || (verifier is not null && Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge);

    private string IdToken(PendingCode pending)
    {
        // IdentityModel checks a token's lifetime against the real clock, whatever clock the bot runs on.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Authority,
            ["aud"] = ClientId,
            ["sub"] = pending.User.UserId,
            ["iat"] = now,
            ["auth_time"] = now,
            ["exp"] = now + 3600,
            ["name"] = pending.User.Name,
            [UserIdClaim] = pending.User.UserId,
            [TeamIdClaim] = pending.User.TeamId,
        };
        if (pending.Nonce is not null)
        {
            claims["nonce"] = pending.Nonce;
        }

        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = keyId, ["typ"] = "JWT" };
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        key.Dispose();
    }

    private sealed record PendingCode(FakeSignInUser User, string RedirectUri, string? Nonce, string? CodeChallenge);
}
