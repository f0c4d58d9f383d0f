using System.Security.Cryptography;

namespace IncidentBot.Cluster;

/// <summary>
/// Who this replica is in the job leases: the machine's name, the process id and a few random characters (two hosts in
/// one process, as in tests, or a pid reused after a restart, still differ), e.g. <c>web-1/4242/9f3ac1</c>. Made once
/// per host and kept for its lifetime.
/// </summary>
public sealed record ReplicaId(string Value)
{
    public static ReplicaId ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    public override string ToString() => Value;
}
