namespace IncidentBot.Cluster;

public static class ClusterExtensions
{
    /// <summary>The runner of cluster-wide jobs, on the storage's job leases, with this replica's id.</summary>
    public static IHostApplicationBuilder AddClusterJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => ReplicaId.ForThisProcess());
        builder.Services.AddSingleton<ClusterJobs>();
        return builder;
    }
}
