using IncidentBot.Configuration;
using IncidentBot.Slack;
using IncidentBot.SlackApp;

namespace IncidentBot.Reminders;

public static class RemindersExtensions
{
    /// <summary>Update and follow-up reminders, checked at start; they run only with Slack, where they are posted.</summary>
    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<RemindersOptions, RemindersOptionsValidator>(RemindersOptions.Section);
        if (!builder.Configuration.IsSlackConfigured())
        {
            return builder;
        }

        builder.Services.AddSlack(builder.Configuration.GetSection(SlackOptions.SectionName))
            .AddBlockActionHandler<ReminderActions>(ReminderActions.PostUpdate)
            .AddBlockActionHandler<ReminderActions>(ReminderActions.Snooze)
            .AddViewSubmissionHandler<ReminderActions>(ReminderActions.UpdateFormCallbackId);
        builder.Services.AddSingleton<UpdateReminders>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UpdateReminders>());
        builder.Services.AddSingleton<FollowUpReminders>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FollowUpReminders>());
        return builder;
    }
}
