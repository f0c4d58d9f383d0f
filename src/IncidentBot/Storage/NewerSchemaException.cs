namespace IncidentBot.Storage;

/// <summary>The database was upgraded by a newer IncidentBot: this one refuses it rather than write rows it does not understand.</summary>
public sealed class NewerSchemaException(string database, int version, int latestKnown) : InvalidOperationException(
    $"The database {database} has schema version {version}, written by a newer IncidentBot; this one knows versions up to {latestKnown}: " +
    "run that newer IncidentBot on it, or point Storage:ConnectionString at another database.");
