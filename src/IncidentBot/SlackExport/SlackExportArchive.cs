using System.IO.Compression;

namespace IncidentBot.SlackExport;

/// <summary>
/// The files of a Slack workspace export, unpacked in a folder or still in its zip, by their path inside the export
/// (<c>channels.json</c>, <c>incident-12-db/2024-03-01.json</c>). A zip whose files sit under one top folder reads the same.
/// </summary>
public sealed class SlackExportArchive : IDisposable
{
    private readonly string path;
    private readonly ZipArchive? zip;
    private readonly Dictionary<string, ZipArchiveEntry> entries = new(StringComparer.Ordinal);
    private readonly string root = "";

    private SlackExportArchive(string path, ZipArchive? zip)
    {
        this.path = path;
        this.zip = zip;
        if (zip is null)
        {
            return;
        }

        foreach (var entry in zip.Entries.Where(e => e.Name.Length > 0))
        {
            entries[entry.FullName.Replace('\\', '/')] = entry;
        }

        var channels = entries.Keys.Where(k => k == "channels.json" || k.EndsWith("/channels.json", StringComparison.Ordinal)).MinBy(k => k.Length);
        root = channels is null ? "" : channels[..^"channels.json".Length];
    }

    /// <exception cref="FileNotFoundException">Neither a folder nor a file is there.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip.</exception>
    public static SlackExportArchive Open(string path)
    {
        if (Directory.Exists(path))
        {
            return new SlackExportArchive(Path.GetFullPath(path), null);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is neither a folder nor a zip file.", path);
        }

        return new SlackExportArchive(Path.GetFullPath(path), ZipFile.OpenRead(path));
    }

    /// <summary>Where a file of the export is, as a person would look for it: its path, or the zip's path and its own.</summary>
    public string Describe(string file) => zip is null ? Path.Combine(path, file) : $"{path}:{root}{file}";

    public bool Exists(string file) => zip is null ? File.Exists(Path.Combine(path, file)) : entries.ContainsKey(root + file);

    public Stream Read(string file) => zip is null ? File.OpenRead(Path.Combine(path, file)) : entries[root + file].Open();

    /// <summary>The day files (<c>*.json</c>) of a channel's folder, by name, which is by day.</summary>
    public IReadOnlyList<string> DayFiles(string folder)
    {
        if (zip is null)
        {
            var directory = Path.Combine(path, folder);
            return Directory.Exists(directory)
                ? [.. Directory.EnumerateFiles(directory, "*.json").Select(f => $"{folder}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal)]
                : [];
        }

        var prefix = $"{root}{folder}/";
        return [.. entries.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal) && k.IndexOf('/', prefix.Length) < 0)
            .Select(k => k[root.Length..])
            .Order(StringComparer.Ordinal)];
    }

    public void Dispose() => zip?.Dispose();
}
