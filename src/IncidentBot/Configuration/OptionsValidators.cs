using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IncidentBot.Configuration;

/// <summary>Each failure names the configuration key at fault, as an operator would write it.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.InboxClaimTime < StorageOptions.MinInboxClaimTime || options.InboxClaimTime > StorageOptions.MaxInboxClaimTime
            ? ValidateOptionsResult.Fail($"Storage:InboxClaimTime must be between {StorageOptions.MinInboxClaimTime} and {StorageOptions.MaxInboxClaimTime}, not {options.InboxClaimTime}.")
            : ValidateProvider(options);

    private static ValidateOptionsResult ValidateProvider(StorageOptions options) => options.Provider?.Trim().ToLowerInvariant() switch
    {
        StorageOptions.Sqlite => Result(SqliteDatabase.FindConnectionStringProblem(options.ConnectionString)),
        StorageOptions.Postgres => Result(PostgresConnectionProblem.Find(options.ConnectionString)),
        var other => ValidateOptionsResult.Fail($"Storage:Provider must be 'sqlite' or 'postgres', not '{other}'."),
    };

    private static ValidateOptionsResult Result(string? problem) =>
        problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        return TooShort(options.Keys, nameof(ApiOptions.Keys)) ?? TooShort(options.PrivateIncidentKeys, nameof(ApiOptions.PrivateIncidentKeys))
            ?? ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult? TooShort(string[] keys, string option)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(keys[i]) || keys[i].Trim().Length < ApiOptions.MinKeyLength)
            {
                return ValidateOptionsResult.Fail($"Api:{option}:{i} is too short: an API key needs at least {ApiOptions.MinKeyLength} characters.");
            }
        }

        return null;
    }
}

internal sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions options)
    {
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (provider is not (AiOptions.None or AiOptions.OpenAi))
        {
            return ValidateOptionsResult.Fail($"Ai:Provider must be 'none' or 'openai', not '{options.Provider}'.");
        }

        if (options.TimeoutSeconds is < 1 or > 600)
        {
            return ValidateOptionsResult.Fail($"Ai:TimeoutSeconds must be between 1 and 600, not {options.TimeoutSeconds}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            return ValidateOptionsResult.Fail($"Ai:Endpoint must be an http(s) URL such as http://localhost:11434/v1, not '{options.Endpoint}'.");
        }

        if (provider == AiOptions.OpenAi && string.IsNullOrWhiteSpace(options.Model))
        {
            return ValidateOptionsResult.Fail("Ai:Model is required when Ai:Provider is 'openai'.");
        }

        return ValidateOptionsResult.Success;
    }
}
