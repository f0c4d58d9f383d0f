using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.AspNetCore;

/// <summary>The raw body of a request whose signature checked out, or the response refusing it.</summary>
internal sealed record VerifiedBody(byte[] Body, IResult? Rejection, string? FailureReason)
{
    public bool IsVerified => Rejection is null;
}

/// <summary>
/// Reads the exact request bytes (the signature covers them, before any parsing), refusing
/// oversized bodies before they are buffered.
/// </summary>
internal sealed class VerifiedBodyReader(
    SlackSignatureVerifier verifier,
    IOptions<SlackOptions> options,
    ILogger<VerifiedBodyReader> logger)
{
    public async Task<VerifiedBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadCappedAsync(request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            logger.LogWarning("Refused a Slack request to {Path}: body larger than {Limit} bytes", request.Path, options.Value.MaxRequestBodyBytes);
            return new VerifiedBody([], Results.StatusCode(StatusCodes.Status413PayloadTooLarge), "body too large");
        }

        var check = verifier.Verify(
            request.Headers[SlackSignatureVerifier.TimestampHeader],
            request.Headers[SlackSignatureVerifier.SignatureHeader],
            body);
        if (check.IsValid)
        {
            return new VerifiedBody(body, null, null);
        }

        logger.LogWarning("Refused a Slack request to {Path}: {Reason}", request.Path, check.FailureReason);
        return new VerifiedBody(body, Results.Unauthorized(), check.FailureReason);
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // Read straight into an array of the announced size when there is one; Content-Length can be absent
        // (chunked) or wrong, so the cap is enforced while reading either way.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp((int)(request.ContentLength ?? 16 * 1024), 1, maxBytes) + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    return null;
                }

                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
