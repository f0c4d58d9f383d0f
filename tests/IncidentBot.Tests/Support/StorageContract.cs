namespace IncidentBot.Tests.Support;

/// <summary>
/// The base of a contract test class: each test gets a fresh database of <typeparamref name="TProvider"/> at the
/// latest schema, and the ports on it. A concrete class per provider runs the same tests.
/// </summary>
public abstract class StorageContract<TProvider> : IAsyncLifetime
    where TProvider : StorageProvider, new()
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    protected TProvider Provider { get; } = new();

    protected StoragePorts Ports { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Provider.InitializeAsync();
        await Provider.MigrateAsync();
        Ports = Provider.Open();
    }

    public Task DisposeAsync() => Provider.DisposeAsync();
}
