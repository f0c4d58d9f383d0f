using System.Reflection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Configuration;

/// <summary>
/// Checks the whole configuration before the host starts, so a mistake stops start-up with one line
/// that names the key: a misspelt key is an error too, since it would otherwise be silently ignored.
/// </summary>
public sealed class ConfigurationCheck
{
    private readonly List<(string Section, Type OptionsType)> sections = [];

    public void Add<TOptions>(string section) => sections.Add((section, typeof(TOptions)));

    /// <returns>Null when the configuration is good, otherwise the one line that says what is wrong.</returns>
    public string? FindError(IServiceProvider services, IConfiguration configuration)
    {
        foreach (var (section, optionsType) in sections)
        {
            var error = FindUnknownKey(configuration.GetSection(section), optionsType) ?? FindInvalidValue(services, optionsType);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? FindUnknownKey(IConfigurationSection section, Type optionsType)
    {
        var known = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = section.GetChildren().FirstOrDefault(child => !known.Contains(child.Key));
        return unknown is null
            ? null
            : $"{unknown.Path} is not a setting IncidentBot knows; the {section.Key} settings are {string.Join(", ", known.Order().Select(k => $"{section.Key}:{k}"))}.";
    }

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
