namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Told when a Socket Mode connection is open again after it dropped. Events sent while no connection
/// was open may never arrive, so an application that must miss nothing reads back what it missed.
/// Called without waiting: start the work and return.
/// </summary>
public interface ISlackConnectionObserver
{
    void OnReconnected();
}
