using System.Reflection;
using IncidentBot.Incidents;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Options;

namespace IncidentBot.Configuration;

/// <summary>
/// Checks the whole configuration before the host starts, so a mistake stops start-up with one line
/// that names the key: a misspelt section or key is an error too, since it would otherwise be silently ignored.
/// The bot's sections and their keys are those of the options classes registered here.
/// </summary>
public sealed class ConfigurationCheck
{
    private readonly List<(string Section, Type OptionsType)> sections = [];

    public void Add<TOptions>(string section) => sections.Add((section, typeof(TOptions)));

    /// <returns>Null when the configuration is good, otherwise the one line that says what is wrong.</returns>
    public string? FindError(IServiceProvider services, IConfiguration configuration)
    {
        if (FindUnknownSection(configuration) is { } unknownSection)
        {
            return unknownSection;
        }

        foreach (var (section, optionsType) in sections)
        {
            var error = FindUnknownKey(configuration, section, optionsType) ?? FindInvalidValue(services, optionsType);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>
    /// Every top-level section of the files, the command line and the like must be one of the bot's or the framework's.
    /// The environment is shared with other programs, so there only a section that looks like a misspelt one of the
    /// bot's (<c>Storge__Provider</c>) is refused; plain variables (<c>PATH</c>) and the unrelated pass.
    /// </summary>
    private string? FindUnknownSection(IConfiguration configuration)
    {
        var ours = sections.Select(s => s.Section).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var provider in ConfigurationSources.Providers(configuration))
        {
            foreach (var key in provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (ours.Contains(key, StringComparer.OrdinalIgnoreCase) || FrameworkSections.Contains(key) || IsOpenTelemetrySetting(key))
                {
                    continue;
                }

                var meant = Spelling.Closest(key, ours);
                var fromEnvironment = provider is EnvironmentVariablesConfigurationProvider;
                if (fromEnvironment && (meant is null || !provider.GetChildKeys([], key).Any()))
                {
                    continue;
                }

                var path = ConfigurationSources.FirstPathUnder(provider, key);
                var written = ConfigurationSources.WithSource(provider, path);
                return meant is null
                    ? $"{written} is not a setting IncidentBot knows: its sections are {string.Join(", ", ours)}, besides the framework's (Logging, Kestrel, AllowedHosts, Urls)."
                    : $"{written} is not a setting IncidentBot knows: did you mean {ConfigurationSources.AsWritten(provider, meant + path[key.Length..])}?";
            }
        }

        return null;
    }

    private static string? FindUnknownKey(IConfiguration configuration, string section, Type optionsType)
    {
        var known = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.Name)
            .Order()
            .ToList();
        var unknown = configuration.GetSection(section).GetChildren()
            .FirstOrDefault(child => !known.Contains(child.Key, StringComparer.OrdinalIgnoreCase));
        if (unknown is null)
        {
            return null;
        }

        var provider = ConfigurationSources.Providers(configuration).LastOrDefault(p => ConfigurationSources.Has(p, unknown.Path));
        var written = provider is null ? unknown.Path : ConfigurationSources.WithSource(provider, unknown.Path);
        return Spelling.Closest(unknown.Key, known) is { } meant
            ? $"{written} is not a setting IncidentBot knows: did you mean {ConfigurationSources.AsWritten(provider, $"{section}:{meant}")}?"
            : $"{written} is not a setting IncidentBot knows; the {section} settings are {string.Join(", ", known.Select(k => $"{section}:{k}"))}.";
    }

    /// <summary>
    /// The host's own keys (<c>urls</c>, <c>environment</c>, <c>contentRoot</c>, … as the framework names them) and
    /// the sections of the framework's parts this application uses.
    /// </summary>
    private static readonly HashSet<string> FrameworkSections = new(
        typeof(WebHostDefaults).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(HostDefaults).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(string))
            .Select(f => (string)f.GetValue(null)!)
            .Concat(["Logging", "Kestrel", "AllowedHosts", "https_port", "$schema"]),
        StringComparer.OrdinalIgnoreCase);

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>, …: OpenTelemetry reads its own from the configuration too.</summary>
    private static bool IsOpenTelemetrySetting(string key) => key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase);

    private static string? FindInvalidValue(IServiceProvider services, Type optionsType)
    {
        var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(optionsType));
        try
        {
            _ = accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            return null;
        }
        catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
        {
            return invalid.Failures.First();
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException binding)
        {
            // The binder's own message names the key ("Failed to convert configuration value at 'Ai:TimeoutSeconds' ...").
            return binding.Message;
        }
    }
}

/// <summary>Where a configuration key came from, and how it is written there.</summary>
internal static class ConfigurationSources
{
    /// <summary>The providers in the order they are read: a later one wins.</summary>
    public static IEnumerable<IConfigurationProvider> Providers(IConfiguration configuration) =>
        configuration is IConfigurationRoot root
            ? root.Providers.SelectMany(p => p is ChainedConfigurationProvider chained ? Providers(chained.Configuration) : [p])
            : [];

    public static bool Has(IConfigurationProvider provider, string path) =>
        provider.TryGet(path, out _) || provider.GetChildKeys([], path).Any();

    /// <summary>A full key under <paramref name="section"/>, e.g. <c>Storge:Provider</c>, for the message.</summary>
    public static string FirstPathUnder(IConfigurationProvider provider, string section)
    {
        var path = section;
        while (provider.GetChildKeys([], path).FirstOrDefault() is { } child)
        {
            path = ConfigurationPath.Combine(path, child);
        }

        return path;
    }

    /// <summary><c>Storge__Provider (environment variable)</c>, <c>Slak:BotToken (in appsettings.json)</c>.</summary>
    public static string WithSource(IConfigurationProvider provider, string path) => provider switch
    {
        EnvironmentVariablesConfigurationProvider => $"{AsWritten(provider, path)} (environment variable)",
        FileConfigurationProvider file => $"{path} (in {file.Source.Path})",
        CommandLineConfigurationProvider => $"{AsWritten(provider, path)} (command line)",
        _ => path,
    };

    /// <summary><c>Storge__Provider</c> in the environment, <c>--Storge:Provider</c> on the command line, else <c>Storge:Provider</c>.</summary>
    public static string AsWritten(IConfigurationProvider? provider, string path) => provider switch
    {
        EnvironmentVariablesConfigurationProvider => path.Replace(":", "__", StringComparison.Ordinal),
        CommandLineConfigurationProvider => $"--{path}",
        _ => path,
    };
}

public static class ConfigurationCheckExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, validated by <typeparamref name="TValidator"/> at start.</summary>
    public static IHostApplicationBuilder AddCheckedOptions<TOptions, TValidator>(this IHostApplicationBuilder builder, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        CheckOf(builder.Services).Add<TOptions>(section);
        return builder;
    }

    /// <summary>Checks <paramref name="section"/> for misspelt keys and <typeparamref name="TOptions"/> for invalid values at start.</summary>
    public static IHostApplicationBuilder AddConfigurationCheck<TOptions>(this IHostApplicationBuilder builder, string section)
    {
        CheckOf(builder.Services).Add<TOptions>(section);
        return builder;
    }

    private static ConfigurationCheck CheckOf(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ConfigurationCheck))?.ImplementationInstance is ConfigurationCheck check)
        {
            return check;
        }

        check = new ConfigurationCheck();
        services.AddSingleton(check);
        return check;
    }
}
