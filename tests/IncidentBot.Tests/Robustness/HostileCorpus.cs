using System.Text;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Support;
using static IncidentBot.Tests.Robustness.Verdict;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Hostile and malformed requests, one per line: a name, what must come back, the request. Every case
/// also gets the checks of <see cref="HostileInputTests"/>: no 5xx, nothing stored, the bot still healthy.
/// Requests that would change something if they were believed aim at the real incident and its channel.
/// </summary>
public static class HostileCorpus
{
    private const string Secret = SlackTestBot.SigningSecret;
    private const int MiB = 1024 * 1024;
    private const int Unauthorized = 401;
    private const int TooLarge = 413;
    private const int BadRequest = 400;

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        // ---- /slack/events: who sent it ----
        Refused("events: no signature headers", t => Events(t.Envelope(Forged(t))), Unauthorized),
        Refused("events: signature without timestamp", t => Events(t.Envelope(Forged(t))).Signed() with { Timestamp = null }, Unauthorized),
        Refused("events: timestamp without signature", t => Events(t.Envelope(Forged(t))).Signed() with { Signature = null }, Unauthorized),
        Refused("events: empty signature", t => Events(t.Envelope(Forged(t))).Signed() with { Signature = "" }, Unauthorized),
        Refused("events: v0= and nothing else", t => Events(t.Envelope(Forged(t))).Signed() with { Signature = "v0=" }, Unauthorized),
        Refused("events: all-zero signature", t => Events(t.Envelope(Forged(t))).Signed() with { Signature = "v0=" + new string('0', 64) }, Unauthorized),
        Refused("events: signed with another secret", t => Events(t.Envelope(Forged(t))).SignedBy("not-the-secret-0123456789", RobustnessBot.Now), Unauthorized),
        Refused("events: signed with an empty secret", t => Events(t.Envelope(Forged(t))).SignedBy("", RobustnessBot.Now), Unauthorized),
        Refused("events: version prefix v1", t => Versioned(Events(t.Envelope(Forged(t))).Signed(), "v1"), Unauthorized),
        Refused("events: version prefix V0 (upper case)", t => Versioned(Events(t.Envelope(Forged(t))).Signed(), "V0"), Unauthorized),
        Refused("events: no version prefix", t => Events(t.Envelope(Forged(t))).Signed() is var r ? r with { Signature = r.Signature![3..] } : r, Unauthorized),
        Refused("events: signature in upper-case hex", t => Events(t.Envelope(Forged(t))).Signed() is var r ? r with { Signature = "v0=" + r.Signature![3..].ToUpperInvariant() } : r, Unauthorized),
        Refused("events: signature with an extra hex digit", t => Events(t.Envelope(Forged(t))).Signed() is var r ? r with { Signature = r.Signature + "0" } : r, Unauthorized),
        Refused("events: signature truncated by one digit", t => Events(t.Envelope(Forged(t))).Signed() is var r ? r with { Signature = r.Signature![..^1] } : r, Unauthorized),
        Refused("events: valid and forged signature headers both sent", t => Events(t.Envelope(Forged(t))).Signed().WithHeader("X-Slack-Signature", "v0=" + new string('a', 64)), Unauthorized),
        Refused("events: replayed, timestamp 6 minutes old", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, RobustnessBot.Now - 360), Unauthorized),
        Refused("events: replayed, timestamp a day old", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, RobustnessBot.Now - 86_400), Unauthorized),
        Refused("events: timestamp 6 minutes in the future", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, RobustnessBot.Now + 360), Unauthorized),
        Refused("events: timestamp 0", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, 0), Unauthorized),
        Refused("events: timestamp not a number", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, "yesterday"), Unauthorized),
        Refused("events: timestamp with a fraction", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, $"{RobustnessBot.Now}.5"), Unauthorized),
        Refused("events: timestamp with a sign", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, $"+{RobustnessBot.Now}"), Unauthorized),
        Refused("events: timestamp with spaces", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, $" {RobustnessBot.Now} "), Unauthorized),
        Refused("events: negative timestamp", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, "-1"), Unauthorized),
        Refused("events: timestamp beyond 64 bits", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, "99999999999999999999999999"), Unauthorized),
        Refused("events: timestamp in milliseconds", t => Events(t.Envelope(Forged(t))).SignedBy(Secret, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), Unauthorized),
        Refused("events: body changed after signing", t => Events(t.Envelope(Forged(t))).Signed().WithBody(Utf8(t.Envelope(Forged(t, "changed after signing")))), Unauthorized),
        Refused("events: a byte appended after signing", t => Events(t.Envelope(Forged(t))).Signed() is var r ? r.WithBody([.. r.Body, (byte)' ']) : r, Unauthorized),
        Refused("events: body emptied after signing", t => Events(t.Envelope(Forged(t))).Signed().WithBody([]), Unauthorized),
        Refused("events: signature of another request replayed", t => Events(t.Envelope(Forged(t))).Signed() with { Body = Utf8(t.Envelope(Forged(t, "replayed with another body"))) }, Unauthorized),
        Refused("events: unsigned url_verification", t => Events("""{"type":"url_verification","challenge":"abc","token":"x"}"""), Unauthorized),
        Refused("events: unsigned and chunked", t => Events(t.Envelope(Forged(t))) with { Chunked = true }, Unauthorized),
        Refused("events: unsigned retry of a real-looking delivery", t => Events(t.Envelope(Forged(t))).WithHeader("X-Slack-Retry-Num", "1").WithHeader("X-Slack-Retry-Reason", "http_timeout"), Unauthorized),

        // ---- /slack/events: size ----
        Refused("events: body over 1 MiB with Content-Length", t => Events(Padded(t, MiB + 1)).Signed(), TooLarge),
        Refused("events: body over 1 MiB chunked", t => Events(Padded(t, MiB + 1)).Signed() with { Chunked = true }, TooLarge),
        Refused("events: unsigned body over 1 MiB", t => Events(Padded(t, MiB + 1)), TooLarge),
        Refused("events: 8 MiB chunked", t => Events(Padded(t, 8 * MiB)).Signed() with { Chunked = true }, TooLarge),
        Ignored("events: body exactly 1 MiB", t => Events(Padded(t, MiB)).Signed()),
        Ignored("events: body just under 1 MiB", t => Events(Padded(t, MiB - 1)).Signed()),
        Answered("events: body just under 1 MiB chunked", t => Events(Padded(t, MiB - 1)).Signed() with { Chunked = true }),
        Ignored("events: body 16 KiB under 1 MiB chunked", t => Events(Padded(t, MiB - 16 * 1024)).Signed() with { Chunked = true }),
        Ignored("events: small body chunked", t => Events(t.Envelope("""{"type":"reaction_added","user":"U1"}""")).Signed() with { Chunked = true }),

        // ---- /slack/events: broken JSON (signed, so only the parser stands between it and the store) ----
        Refused("events: empty body", t => Events("").Signed(), BadRequest),
        Refused("events: not JSON", t => Events("hello slack").Signed(), BadRequest),
        Refused("events: truncated JSON", t => Events(t.Envelope(Forged(t))[..^7]).Signed(), BadRequest),
        Refused("events: truncated inside a string", t => Events("""{"type":"event_callback","event_id":"Ev1","event":{"type":"message","text":"unterminated""").Signed(), BadRequest),
        Refused("events: JSON null", t => Events("null").Signed(), BadRequest),
        Refused("events: JSON array", t => Events("""[{"type":"url_verification","challenge":"x"}]""").Signed(), BadRequest),
        Refused("events: JSON string", t => Events("\"event_callback\"").Signed(), BadRequest),
        Refused("events: JSON number", t => Events("42").Signed(), BadRequest),
        Refused("events: trailing garbage after the object", t => Events(t.Envelope(Forged(t)) + "}{").Signed(), BadRequest),
        Refused("events: two objects", t => Events(t.Envelope(Forged(t)) + t.Envelope(Forged(t))).Signed(), BadRequest),
        Refused("events: single quotes", t => Events("{'type':'url_verification','challenge':'x'}").Signed(), BadRequest),
        Refused("events: comments", t => Events("/* hi */ " + t.Envelope(Forged(t))).Signed(), BadRequest),
        Refused("events: trailing comma", t => Events(t.Envelope(Forged(t))[..^1] + ",}").Signed(), BadRequest),
        Refused("events: NaN literal", t => Events("""{"type":"event_callback","event_time":NaN}""").Signed(), BadRequest),
        Refused("events: 10,000 nested arrays", t => Events(new string('[', 10_000) + new string(']', 10_000)).Signed(), BadRequest),
        Refused("events: 10,000 nested objects", t => Events(Nested(10_000)).Signed(), BadRequest),
        Refused("events: 10,000 nested objects as the event", t => Events(t.Envelope(Nested(10_000))).Signed(), BadRequest),
        Refused("events: 10,000 unclosed brackets", t => Events(new string('[', 10_000)).Signed(), BadRequest),
        Refused("events: invalid UTF-8 in a string", t => Events(Bytes(t.Envelope(Forged(t, "XX")), "XX", [0xC3, 0x28])).Signed(), BadRequest),
        Refused("events: lone continuation bytes", t => Events(Bytes(t.Envelope(Forged(t, "XX")), "XX", [0x80, 0x80, 0xBF])).Signed(), BadRequest),
        Refused("events: overlong UTF-8 encoding of '/'", t => Events(Bytes(t.Envelope(Forged(t, "XX")), "XX", [0xC0, 0xAF])).Signed(), BadRequest),
        Refused("events: UTF-8-encoded surrogate", t => Events(Bytes(t.Envelope(Forged(t, "XX")), "XX", [0xED, 0xA0, 0x80])).Signed(), BadRequest),
        Refused("events: bytes 0xFE 0xFF", t => Events(new byte[] { 0xFE, 0xFF, (byte)'{', (byte)'}' }).Signed(), BadRequest),
        Refused("events: UTF-16 body", t => Events(Encoding.Unicode.GetBytes(t.Envelope(Forged(t)))).Signed(), BadRequest),
        Answered("events: UTF-8 byte order mark", t => Events([0xEF, 0xBB, 0xBF, .. Utf8("""{"type":"reaction_added"}""")]).Signed()),
        Refused("events: raw NUL byte between tokens", t => Events("{\"type\":\0\"url_verification\"}").Signed(), BadRequest),
        Refused("events: raw control character inside a string", t => Events(t.Envelope(Forged(t, "a\u0001b").Replace("\\u0001", "\u0001", StringComparison.Ordinal))).Signed(), BadRequest),
        Refused("events: lone surrogate escape in the text", t => Events(t.Envelope(Forged(t, "XX").Replace("XX", "\\uD800", StringComparison.Ordinal))).Signed(), BadRequest),
        Refused("events: reversed surrogate pair escape", t => Events(t.Envelope(Forged(t, "XX").Replace("XX", "\\uDE00\\uD83D", StringComparison.Ordinal))).Signed(), BadRequest),
        Refused("events: broken escape", t => Events(t.Envelope(Forged(t, "XX").Replace("XX", "\\x41", StringComparison.Ordinal))).Signed(), BadRequest),

        // ---- /slack/events: the right JSON with the wrong types ----
        Refused("events: event is null", t => Events(t.Envelope("null")).Signed(), BadRequest),
        Refused("events: event is an array", t => Events(t.Envelope("[]")).Signed(), BadRequest),
        Refused("events: event is a string", t => Events(t.Envelope("\"message\"")).Signed(), BadRequest),
        Refused("events: event is a number", t => Events(t.Envelope("7")).Signed(), BadRequest),
        Refused("events: event_callback without event_id", t => Events($$"""{"type":"event_callback","team_id":"T0FAKE","event":{{Forged(t)}}}""").Signed(), BadRequest),
        Answered("events: event_callback without event", t => Events("""{"type":"event_callback","team_id":"T0FAKE","event_id":"Ev0NOEVENT"}""").Signed()),
        Refused("events: empty event_id", t => Events(t.Envelope(Forged(t), eventId: "")).Signed(), BadRequest),
        Refused("events: event_id is a number", t => Events(t.Envelope(Forged(t)).Replace("\"event_id\":\"", "\"event_id\":1,\"x\":\"", StringComparison.Ordinal)).Signed(), BadRequest),
        Refused("events: event_id is an object", t => Events(t.Envelope(Forged(t)).Replace("\"event_id\":\"", "\"event_id\":{},\"x\":\"", StringComparison.Ordinal)).Signed(), BadRequest),
        Refused("events: channel is a number", t => Events(t.Envelope($$"""{"type":"message","channel":12345,"user":"U1","text":"x","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed(), BadRequest),
        Refused("events: channel is an array", t => Events(t.Envelope($$"""{"type":"message","channel":["{{t.IncidentChannel}}"],"user":"U1","text":"x","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed(), BadRequest),
        Refused("events: ts is a number", t => Events(t.Envelope($$"""{"type":"message","channel":"{{t.IncidentChannel}}","user":"U1","text":"x","ts":1750000000.000001}""")).Signed(), BadRequest),
        Refused("events: text is an object", t => Events(t.Envelope($$"""{"type":"message","channel":"{{t.IncidentChannel}}","user":"U1","text":{"$gt":""},"ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed(), BadRequest),
        Refused("events: text is an array", t => Events(t.Envelope($$"""{"type":"message","channel":"{{t.IncidentChannel}}","user":"U1","text":["a"],"ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed(), BadRequest),
        Refused("events: event_time is a string of letters", t => Events(t.Envelope(Forged(t)).Replace("\"event_time\":", "\"event_time\":\"soon\",\"x\":", StringComparison.Ordinal)).Signed(), BadRequest),
        Refused("events: event_time beyond 64 bits", t => Events(t.Envelope(Forged(t)).Replace("\"event_time\":", "\"event_time\":99999999999999999999999,\"x\":", StringComparison.Ordinal)).Signed(), BadRequest),
        Refused("events: authorizations is an object", t => Events(t.Envelope(Forged(t))[..^1] + ""","authorizations":{"user_id":"U1"}}""").Signed(), BadRequest),
        Answered("events: message_changed with message null", t => Events(t.Envelope($$"""{"type":"message","subtype":"message_changed","channel":"{{t.IncidentChannel}}","ts":"{{RobustnessBot.UniqueTs()}}","message":null}""")).Signed()),
        Refused("events: message_changed with message a string", t => Events(t.Envelope($$"""{"type":"message","subtype":"message_changed","channel":"{{t.IncidentChannel}}","ts":"{{RobustnessBot.UniqueTs()}}","message":"edited"}""")).Signed(), BadRequest),
        Refused("events: files is a string", t => Events(t.Envelope($$"""{"type":"message","subtype":"file_share","channel":"{{t.IncidentChannel}}","user":"U1","ts":"{{RobustnessBot.UniqueTs()}}","files":"secrets.txt"}""")).Signed(), BadRequest),
        Answered("events: files holds null", t => Events(t.Envelope($$"""{"type":"message","subtype":"file_share","channel":"{{t.IncidentChannel}}","user":"U1","ts":"{{RobustnessBot.UniqueTs()}}","files":[null]}""")).Signed()),
        Answered("events: app_mention with text null", t => Events(t.Envelope($$"""{"type":"app_mention","channel":"{{t.IncidentChannel}}","user":"U1","text":null,"ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed()),
        Refused("events: url_verification with challenge an object", t => Events("""{"type":"url_verification","challenge":{"a":1}}""").Signed(), BadRequest),

        // ---- /slack/events: well-formed, but nothing for the bot to do ----
        Ignored("events: unknown payload type", t => Events("""{"type":"something_new","team_id":"T0FAKE"}""").Signed()),
        Ignored("events: payload without type", t => Events("""{"team_id":"T0FAKE","event_id":"Ev0NOTYPE"}""").Signed()),
        Ignored("events: payload type is a number", t => Events("""{"type":7,"event_id":"Ev0NUMTYPE"}""").Signed()),
        Ignored("events: empty object", t => Events("{}").Signed()),
        Ignored("events: unknown event type", t => Events(t.Envelope("""{"type":"reaction_added","user":"U1","reaction":"fire"}""")).Signed()),
        Ignored("events: event without type", t => Events(t.Envelope("""{"user":"U1","text":"no type"}""")).Signed()),
        Ignored("events: empty event object", t => Events(t.Envelope("{}")).Signed()),
        Ignored("events: event type with 100,000 characters", t => Events(t.Envelope($$"""{"type":"{{new string('x', 100_000)}}"}""")).Signed()),
        Ignored("events: unknown message subtype outside incident channels", t => Events(t.Envelope($$"""{"type":"message","subtype":"huddle_thread","channel":"{{t.OtherChannel}}","user":"U1","text":"x","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed()),
        Ignored("events: channel housekeeping subtype in the incident channel", t => Events(t.Envelope($$"""{"type":"message","subtype":"channel_topic","channel":"{{t.IncidentChannel}}","user":"U1","text":"set the topic","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed()),
        Ignored("events: message to a channel nobody knows", t => Events(t.Envelope(RobustnessBot.MessageEvent("C0NOWHERE", "to nowhere"))).Signed()),
        Ignored("events: message with a 200,000-character word outside incident channels", t => Events(t.Envelope(RobustnessBot.MessageEvent(t.OtherChannel, new string('w', 200_000)))).Signed()),
        Ignored("events: the bot's own message in the incident channel", t => Events(t.Envelope($$"""{"type":"message","channel":"{{t.IncidentChannel}}","user":"U0BOT","bot_id":"B0BOT","text":"own line","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed()),
        Ignored("events: deleting a message in a channel of no incident", t => Events(t.Envelope($$"""{"type":"message","subtype":"message_deleted","channel":"{{t.OtherChannel}}","ts":"{{RobustnessBot.UniqueTs()}}","deleted_ts":"1.2"}""")).Signed()),
        Ignored("events: editing a message in a channel of no incident", t => Events(t.Envelope($$"""{"type":"message","subtype":"message_changed","channel":"{{t.OtherChannel}}","ts":"{{RobustnessBot.UniqueTs()}}","message":{"type":"message","user":"U1","text":"edit","ts":"1.2"} }""")).Signed()),
        Ignored("events: app_rate_limited", t => Events("""{"token":"x","type":"app_rate_limited","team_id":"T0FAKE","minute_rate_limited":1518467820,"api_app_id":"A0BOT"}""").Signed()),
        Ignored("events: app_rate_limited with the minute as text", t => Events("""{"type":"app_rate_limited","team_id":"T0FAKE","minute_rate_limited":"1518467820"}""").Signed()),
        Answered("events: url_verification without challenge", t => Events("""{"type":"url_verification","token":"x"}""").Signed()),
        Answered("events: url_verification with challenge null", t => Events("""{"type":"url_verification","challenge":null}""").Signed()),
        Ignored("events: url_verification with a script as challenge", t => Events("""{"type":"url_verification","challenge":"<script>alert(1)</script>"}""").Signed()),
        Answered("events: duplicate type keys (url_verification, then event_callback)", t => Events($$"""{"type":"url_verification","challenge":"c","type":"event_callback","event_id":"Ev{{Guid.NewGuid():N}}","event":{{RobustnessBot.MessageEvent(t.OtherChannel, "dup")}}}""").Signed()),
        Answered("events: duplicate event keys", t => Events($$"""{"type":"event_callback","event_id":"Ev{{Guid.NewGuid():N}}","event":{"type":"reaction_added"},"event":{"type":"reaction_removed"} }""").Signed()),
        Answered("events: duplicate channel keys in a message", t => Events(t.Envelope($$"""{"type":"message","channel":"{{t.OtherChannel}}","channel":"C0NOWHERE","user":"U1","text":"x","ts":"{{RobustnessBot.UniqueTs()}}"}""")).Signed()),
        Answered("events: JSON sent as text/plain", t => RawRequest.Post("/slack/events", """{"type":"reaction_added"}""", "text/plain").Signed()),
        Answered("events: JSON sent as a form", t => RawRequest.Post("/slack/events", """{"type":"reaction_added"}""", "application/x-www-form-urlencoded").Signed()),

        // ---- /slack/commands ----
        Refused("commands: unsigned declare", t => Commands(CommandForm(t, "declare Forged outage sev1")), Unauthorized),
        Refused("commands: unsigned resolve in the incident channel", t => Commands(CommandForm(t, "resolve", t.IncidentChannel)), Unauthorized),
        Refused("commands: stale declare", t => Commands(CommandForm(t, "declare Replayed outage")).SignedBy(Secret, RobustnessBot.Now - 600), Unauthorized),
        Refused("commands: future declare", t => Commands(CommandForm(t, "declare Future outage")).SignedBy(Secret, RobustnessBot.Now + 600), Unauthorized),
        Refused("commands: declare changed after signing", t => Commands(CommandForm(t, "help")).Signed().WithBody(Utf8(CommandForm(t, "declare Tampered outage"))), Unauthorized),
        Refused("commands: wrong version prefix", t => Versioned(Commands(CommandForm(t, "declare Forged outage")).Signed(), "v2"), Unauthorized),
        Refused("commands: non-numeric timestamp", t => Commands(CommandForm(t, "declare Forged outage")).SignedBy(Secret, "now"), Unauthorized),
        Refused("commands: body over 1 MiB", t => Commands(CommandForm(t, "declare " + new string('x', MiB))).Signed(), TooLarge),
        Refused("commands: body over 1 MiB chunked", t => Commands(CommandForm(t, "declare " + new string('x', MiB))).Signed() with { Chunked = true }, TooLarge),
        Ignored("commands: unsigned ssl_check", t => Commands("ssl_check=1&token=x")),
        Ignored("commands: unsigned ssl_check carrying a declare", t => Commands("ssl_check=1&" + CommandForm(t, "declare Smuggled outage"))),
        Refused("commands: unsigned ssl_check=2 carrying a declare", t => Commands("ssl_check=2&" + CommandForm(t, "declare Smuggled outage")), Unauthorized),
        Refused("commands: empty body", t => Commands("").Signed(), BadRequest),
        Refused("commands: no command field", t => Commands(SlackEscaping.Form(("text", "declare Nameless"), ("user_id", SlackTestBot.Responder))).Signed(), BadRequest),
        Refused("commands: no user_id", t => Commands(SlackEscaping.Form(("command", "/incident"), ("text", "declare Userless"))).Signed(), BadRequest),
        Refused("commands: empty command", t => Commands(SlackEscaping.Form(("command", ""), ("text", "declare x"), ("user_id", SlackTestBot.Responder))).Signed(), BadRequest),
        Refused("commands: JSON instead of a form", t => RawRequest.Post("/slack/commands", """{"command":"/incident","text":"declare Json","user_id":"U0RESP1"}""", "application/json").Signed(), BadRequest),
        Refused("commands: random bytes", t => Commands([0xFF, 0x00, 0x13, 0x37, 0xC3]).Signed(), BadRequest),
        Ignored("commands: another command", t => Commands(CommandForm(t, "declare Other", command: "/other")).Signed()),
        Ignored("commands: the command twice", t => Commands(CommandForm(t, "declare Twice") + "&command=%2Fincident").Signed()),
        Ignored("commands: bad percent-encoding", t => Commands("command=%2Fincident&text=%ZZdeclare%&user_id=U0RESP1&channel_id=C1").Signed()),
        Ignored("commands: invalid UTF-8 in the text", t => Commands("command=%2Fincident&text=%FF%FE%C3%28&user_id=U0RESP1&channel_id=C1").Signed()),
        Ignored("commands: encoded surrogate half in the text", t => Commands("command=%2Fincident&text=declare%ED%A0%80&user_id=U0RESP1&channel_id=C1").Signed()),
        Ignored("commands: 10,000-character subcommand", t => Commands(CommandForm(t, new string('d', 10_000))).Signed()),
        Ignored("commands: declare with a 10,000-character word", t => Commands(CommandForm(t, "declare " + new string('t', 10_000))).Signed()),
        Ignored("commands: declare with a 201-character title", t => Commands(CommandForm(t, "declare " + new string('t', 201))).Signed()),
        Ignored("commands: declare with only zero-width and bidi marks", t => Commands(CommandForm(t, "declare \u200B\u200D\u200E\u200F\u202E")).Signed()),
        Ignored("commands: declare with only whitespace", t => Commands(CommandForm(t, "declare \t \u00A0 \u2028 \u3000")).Signed()),
        Ignored("commands: declare with two severities", t => Commands(CommandForm(t, "declare Twice sev1 sev2")).Signed()),
        Ignored("commands: declare with a severity out of range", t => Commands(CommandForm(t, "declare Out of range sev9")).Signed()),
        Ignored("commands: declare with an empty services list", t => Commands(CommandForm(t, "declare No services services:")).Signed()),
        Ignored("commands: declare with 31 services", t => Commands(CommandForm(t, "declare Many services: " + string.Join(",", Enumerable.Range(1, 31).Select(i => $"svc{i}")))).Signed()),
        Ignored("commands: RTL override before the subcommand", t => Commands(CommandForm(t, "\u202Edeclare Reversed")).Signed()),
        Ignored("commands: zero-width joiner inside the subcommand", t => Commands(CommandForm(t, "dec\u200Dlare Joined")).Signed()),
        Ignored("commands: combining marks on the subcommand", t => Commands(CommandForm(t, "de\u0301\u0302clare Marked")).Signed()),
        Ignored("commands: emoji subcommand", t => Commands(CommandForm(t, "\U0001F525\U0001F6A8 fire")).Signed()),
        Ignored("commands: NUL inside the subcommand", t => Commands(CommandForm(t, "decl\0are Nul")).Signed()),
        Ignored("commands: control characters as the subcommand", t => Commands(CommandForm(t, "\u0001\u0007\u001B[31m declare")).Signed()),
        Ignored("commands: SQL injection as the subcommand", t => Commands(CommandForm(t, "'; DROP TABLE incidents; --")).Signed()),
        Ignored("commands: format string as the subcommand", t => Commands(CommandForm(t, "{0} %s %n %x {{7*7}}")).Signed()),
        Ignored("commands: path traversal as the subcommand", t => Commands(CommandForm(t, "../../etc/passwd")).Signed()),
        Ignored("commands: update outside an incident channel without a reference", t => Commands(CommandForm(t, "update '; DROP TABLE timeline_entries; --")).Signed()),
        Ignored("commands: resolve an incident that does not exist", t => Commands(CommandForm(t, "resolve INC-999999")).Signed()),
        Ignored("commands: resolve an incident number beyond 64 bits", t => Commands(CommandForm(t, "resolve INC-99999999999999999999999")).Signed()),
        Ignored("commands: severity with an injected word", t => Commands(CommandForm(t, "severity '; DROP TABLE incidents; --", t.IncidentChannel)).Signed()),
        Ignored("commands: status that is not one", t => Commands(CommandForm(t, "status <!channel>", t.IncidentChannel)).Signed()),
        Ignored("commands: commander that is not a mention", t => Commands(CommandForm(t, "commander @here", t.IncidentChannel)).Signed()),
        Ignored("commands: commander with two mentions", t => Commands(CommandForm(t, "commander <@U1> <@U2>", t.IncidentChannel)).Signed()),
        Ignored("commands: link of an unknown kind", t => Commands(CommandForm(t, "link exploit ../../etc/passwd", t.IncidentChannel)).Signed()),
        Ignored("commands: link to a javascript URL", t => Commands(CommandForm(t, "link alert javascript://alert(1)", t.IncidentChannel)).Signed()),
        Ignored("commands: list with an injected filter", t => Commands(CommandForm(t, "list '; DROP TABLE incidents; --")).Signed()),
        Ignored("commands: stats with a huge window", t => Commands(CommandForm(t, "stats past 99999 months")).Signed()),
        Ignored("commands: related with FTS5 operators", t => Commands(CommandForm(t, "related \"checkout\" OR NEAR(a b, 2) NOT c* ^d", t.IncidentChannel)).Signed()),
        Ignored("commands: related with an unbalanced FTS5 quote and column filter", t => Commands(CommandForm(t, "related title:\"unbalanced {a b} -c AND (", t.IncidentChannel)).Signed()),
        Ignored("commands: related with SQL injection", t => Commands(CommandForm(t, "related ' OR 1=1; DROP TABLE incidents; --", t.IncidentChannel)).Signed()),
        Ignored("commands: related with a 10,000-character word", t => Commands(CommandForm(t, "related " + new string('q', 10_000), t.IncidentChannel)).Signed()),

        // ---- /slack/interactions ----
        Refused("interactions: unsigned mark-stable click", t => Interactions(Payload(Click(t, CardActions.MarkStable))), Unauthorized),
        Refused("interactions: unsigned resolve click", t => Interactions(Payload(Click(t, CardActions.Resolve))), Unauthorized),
        Refused("interactions: stale resolve click", t => Interactions(Payload(Click(t, CardActions.Resolve))).SignedBy(Secret, RobustnessBot.Now - 301), Unauthorized),
        Refused("interactions: click changed after signing", t => Interactions(Payload(Click(t, "unknown_action"))).Signed().WithBody(Utf8(Payload(Click(t, CardActions.Resolve)))), Unauthorized),
        Refused("interactions: signed over the decoded JSON", t => Interactions(Payload(Click(t, CardActions.Resolve))) is var r ? r with { Timestamp = RobustnessBot.Now.ToString(System.Globalization.CultureInfo.InvariantCulture), Signature = Sign(Click(t, CardActions.Resolve)) } : r, Unauthorized),
        Refused("interactions: body over 1 MiB", t => Interactions(Payload(new string('x', MiB))).Signed(), TooLarge),
        Refused("interactions: empty body", t => Interactions("").Signed(), BadRequest),
        Refused("interactions: no payload field", t => Interactions("type=block_actions&actions=x").Signed(), BadRequest),
        Refused("interactions: empty payload", t => Interactions("payload=").Signed(), BadRequest),
        Refused("interactions: payload is not JSON", t => Interactions(Payload("resolve INC-1")).Signed(), BadRequest),
        Refused("interactions: payload is truncated JSON", t => Interactions(Payload(Click(t, CardActions.Resolve)[..^9])).Signed(), BadRequest),
        Refused("interactions: payload is JSON null", t => Interactions(Payload("null")).Signed(), BadRequest),
        Refused("interactions: payload is an array", t => Interactions(Payload($"[{Click(t, CardActions.Resolve)}]")).Signed(), BadRequest),
        Refused("interactions: payload nested 10,000 deep", t => Interactions(Payload(Nested(10_000))).Signed(), BadRequest),
        Refused("interactions: raw JSON body", t => RawRequest.Post("/slack/interactions", Click(t, CardActions.Resolve), "application/json").Signed(), BadRequest),
        Refused("interactions: actions is null", t => Interactions(Payload("""{"type":"block_actions","user":{"id":"U0RESP1"},"actions":null}""")).Signed(), BadRequest),
        Refused("interactions: actions holds null", t => Interactions(Payload("""{"type":"block_actions","user":{"id":"U0RESP1"},"actions":[null]}""")).Signed(), BadRequest),
        Refused("interactions: actions is an object", t => Interactions(Payload("""{"type":"block_actions","user":{"id":"U0RESP1"},"actions":{"action_id":"incident_resolve"}}""")).Signed(), BadRequest),
        Refused("interactions: action_id is a number", t => Interactions(Payload("""{"type":"block_actions","user":{"id":"U0RESP1"},"actions":[{"action_id":42}]}""")).Signed(), BadRequest),
        Refused("interactions: user is a string", t => Interactions(Payload("""{"type":"block_actions","user":"U0RESP1","actions":[]}""")).Signed(), BadRequest),
        Refused("interactions: view_submission with view null", t => Interactions(Payload("""{"type":"view_submission","user":{"id":"U0RESP1"},"view":null}""")).Signed(), BadRequest),
        Refused("interactions: view_submission with view a string", t => Interactions(Payload("""{"type":"view_submission","user":{"id":"U0RESP1"},"view":"declare_incident"}""")).Signed(), BadRequest),
        Answered("interactions: declare form whose state values are null", t => Interactions(Payload("""{"type":"view_submission","user":{"id":"U0RESP1"},"view":{"id":"V1","callback_id":"declare_incident","state":{"values":null}}}""")).Signed()),
        Ignored("interactions: unknown interaction type", t => Interactions(Payload("""{"type":"shortcut","callback_id":"x","user":{"id":"U0RESP1"}}""")).Signed()),
        Ignored("interactions: payload is an empty object", t => Interactions(Payload("{}")).Signed()),
        Ignored("interactions: unknown action id", t => Interactions(Payload(Click(t, "incident_detonate"))).Signed()),
        Ignored("interactions: no actions", t => Interactions(Payload("""{"type":"block_actions","user":{"id":"U0RESP1"},"actions":[]}""")).Signed()),
        Ignored("interactions: view_submission of an unknown form", t => Interactions(Payload("""{"type":"view_submission","user":{"id":"U0RESP1"},"view":{"id":"V1","callback_id":"not_ours","state":{"values":{}}}}""")).Signed()),
        Ignored("interactions: resolve click with a block id of no incident", t => Interactions(Payload(Click(t, CardActions.Resolve, blockId: CardActions.BlockIdPrefix + "999999"))).Signed()),
        Ignored("interactions: resolve click with an injected block id", t => Interactions(Payload(Click(t, CardActions.Resolve, blockId: CardActions.BlockIdPrefix + "1; DROP TABLE incidents"))).Signed()),
        Ignored("interactions: resolve click from someone outside the channel", t => Interactions(Payload(Click(t, CardActions.Resolve, user: "U0STRANGER"))).Signed()),
        Answered("interactions: declare form with no values", t => Interactions(Payload("""{"type":"view_submission","user":{"id":"U0RESP1"},"view":{"id":"V1","callback_id":"declare_incident","state":{"values":{}}}}""")).Signed()),
        Answered("interactions: declare form with a 10,000-character title", t => Interactions(Payload(DeclareForm(new string('t', 10_000)))).Signed()),
        Answered("interactions: declare form with a blank title", t => Interactions(Payload(DeclareForm("\u200B \u00A0"))).Signed()),

        // ---- REST API: who is asking ----
        Refused("api: declare without a key", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Keyless outage"}""") with { Authorization = null }, Unauthorized),
        Refused("api: declare with a wrong key", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Wrong key outage"}""") with { Authorization = "Bearer not-a-key-0123456789abcdef" }, Unauthorized),
        Refused("api: declare with the key as Basic", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Basic outage"}""") with { Authorization = "Basic " + TestBot.ApiKey }, Unauthorized),
        Refused("api: declare with the key in the query", t => Api(HttpMethod.Post, "/api/incidents?api_key=" + TestBot.ApiKey, """{"title":"Query key outage"}""") with { Authorization = null }, Unauthorized),
        Refused("api: declare with the key and a NUL", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Nul key outage"}""") with { Authorization = "Bearer " + TestBot.ApiKey + "%00" }, Unauthorized),
        Refused("api: declare with an empty bearer", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Empty key outage"}""") with { Authorization = "Bearer " }, Unauthorized),
        Refused("api: resolve without a key", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved"}""") with { Authorization = null }, Unauthorized),
        Refused("api: timeline post without a key", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":"keyless"}""") with { Authorization = null }, Unauthorized),
        Refused("api: Slack-signed declare instead of a key", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Signed outage"}""").Signed() with { Authorization = null }, Unauthorized),
        Refused("api: list without a key", t => RawRequest.Get("/api/incidents"), Unauthorized),
        Refused("api: stats without a key", t => RawRequest.Get("/api/stats"), Unauthorized),
        Refused("api: huge body without a key", t => Api(HttpMethod.Post, "/api/incidents", Padding(2 * MiB)) with { Authorization = null }, Unauthorized),

        // ---- REST API: declare with bad bodies ----
        Refused("api: declare with an empty body", t => Api(HttpMethod.Post, "/api/incidents", ""), BadRequest),
        Refused("api: declare with JSON null", t => Api(HttpMethod.Post, "/api/incidents", "null"), BadRequest),
        Refused("api: declare with an array", t => Api(HttpMethod.Post, "/api/incidents", """[{"title":"In an array"}]"""), BadRequest),
        Refused("api: declare with truncated JSON", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Truncated outa"""), BadRequest),
        Refused("api: declare with trailing garbage", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Trailing"} {"title":"Second"}"""), BadRequest),
        Refused("api: declare with a trailing comma", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Trailing comma",}"""), BadRequest),
        Refused("api: declare with a comment", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Commented" /* hi */}"""), BadRequest),
        Refused("api: declare with the title a number", t => Api(HttpMethod.Post, "/api/incidents", """{"title":12345}"""), BadRequest),
        Refused("api: declare with the title an array", t => Api(HttpMethod.Post, "/api/incidents", """{"title":["a","b"]}"""), BadRequest),
        Refused("api: declare with the title an object", t => Api(HttpMethod.Post, "/api/incidents", """{"title":{"$ne":null}}"""), BadRequest),
        Refused("api: declare with the title true", t => Api(HttpMethod.Post, "/api/incidents", """{"title":true}"""), BadRequest),
        Refused("api: declare with the title null", t => Api(HttpMethod.Post, "/api/incidents", """{"title":null}"""), BadRequest),
        Refused("api: declare without a title", t => Api(HttpMethod.Post, "/api/incidents", """{"severity":"sev1"}"""), BadRequest),
        Refused("api: declare with a blank title", t => Api(HttpMethod.Post, "/api/incidents", "{\"title\":\" \\t\\n\\u00a0\\u2028 \"}"), BadRequest),
        Refused("api: declare with a 201-character title", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"{{new string('t', 201)}}"}"""), BadRequest),
        Refused("api: declare with a 10,000-character title", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"{{new string('t', 10_000)}}"}"""), BadRequest),
        Refused("api: declare with a 900 KB title", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"{{new string('t', 900 * 1024)}}"}"""), BadRequest),
        Refused("api: declare with a 4,001-character description", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"Long description","description":"{{new string('d', 4_001)}}"}"""), BadRequest),
        Refused("api: declare just under 1 MiB", t => Api(HttpMethod.Post, "/api/incidents", Padded("{\"title\":\"Big\",\"description\":\"", MiB - 1)), BadRequest),
        Refused("api: declare over 1 MiB", t => Api(HttpMethod.Post, "/api/incidents", Padded("{\"title\":\"Big\",\"description\":\"", MiB + 1)), TooLarge),
        Refused("api: declare over 1 MiB chunked", t => Api(HttpMethod.Post, "/api/incidents", Padded("{\"title\":\"Big\",\"description\":\"", MiB + 1)) with { Chunked = true }, TooLarge),
        Refused("api: declare of 8 MiB chunked", t => Api(HttpMethod.Post, "/api/incidents", Padded("{\"title\":\"Big\",\"description\":\"", 8 * MiB)) with { Chunked = true }, TooLarge),
        Refused("api: declare with the severity a number", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Numeric severity","severity":1}"""), BadRequest),
        Refused("api: declare with an unknown severity", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Unknown severity","severity":"sev9"}"""), BadRequest),
        Refused("api: declare with an injected severity", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Injected severity","severity":"1' OR '1'='1"}"""), BadRequest),
        Refused("api: declare with an unknown status", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Unknown status","status":"exploded"}"""), BadRequest),
        Refused("api: declare with services a string", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"String services","services":"checkout"}"""), BadRequest),
        Refused("api: declare with services numbers", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Numeric services","services":[1,2]}"""), BadRequest),
        Refused("api: declare with services an object", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Object services","services":{"a":"b"}}"""), BadRequest),
        Refused("api: declare with a service holding a comma", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Comma service","services":["a,b"]}"""), BadRequest),
        Refused("api: declare with 31 services", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"Many services","services":[{{string.Join(",", Enumerable.Range(1, 31).Select(i => $"\"s{i}\""))}}]}"""), BadRequest),
        Refused("api: declare with a commander id holding spaces", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Spaced commander","commanderId":"U1 OR 1=1"}"""), BadRequest),
        Refused("api: declare with an unknown property", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Unknown property","admin":true}"""), BadRequest),
        Refused("api: declare with a property in another case and an unknown one", t => Api(HttpMethod.Post, "/api/incidents", """{"TITLE":"Shouting","__proto__":{"x":1}}"""), BadRequest),
        Refused("api: declare nested 10,000 deep", t => Api(HttpMethod.Post, "/api/incidents", $$"""{"title":"Deep","description":{{Nested(10_000)}}}"""), BadRequest),
        Refused("api: declare of 10,000 nested arrays", t => Api(HttpMethod.Post, "/api/incidents", new string('[', 10_000) + new string(']', 10_000)), BadRequest),
        Refused("api: declare with invalid UTF-8", t => Api(HttpMethod.Post, "/api/incidents", "{\"title\":\"XX\"}").WithBody(Bytes("{\"title\":\"XX\"}", "XX", [0xC3, 0x28, 0xFF])), BadRequest),
        Refused("api: declare with an overlong UTF-8 encoding", t => Api(HttpMethod.Post, "/api/incidents", "{\"title\":\"XX\"}").WithBody(Bytes("{\"title\":\"XX\"}", "XX", [0xC0, 0xAF])), BadRequest),
        Refused("api: declare with a lone surrogate escape", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"half \uD800 a pair"}"""), BadRequest),
        Refused("api: declare with a lone low surrogate escape", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"\uDFFF"}"""), BadRequest),
        Refused("api: declare with a raw control character", t => Api(HttpMethod.Post, "/api/incidents", "{\"title\":\"raw\u0001control\"}"), BadRequest),
        Refused("api: declare with a BOM and an empty title", t => Api(HttpMethod.Post, "/api/incidents", "").WithBody([0xEF, 0xBB, 0xBF, .. Utf8("""{"title":""}""")]), BadRequest),
        Refused("api: declare in UTF-16", t => Api(HttpMethod.Post, "/api/incidents", "").WithBody(Encoding.Unicode.GetBytes("""{"title":"Utf16 outage"}""")), BadRequest),
        Refused("api: declare as a form", t => Api(HttpMethod.Post, "/api/incidents", "title=Form+outage") with { MediaType = "application/x-www-form-urlencoded" }),
        Refused("api: declare as text/plain", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Plain outage"}""") with { MediaType = "text/plain" }),
        Refused("api: declare without a content type", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"Typeless outage"}""") with { MediaType = null }),
        Refused("api: declare with duplicate title keys, the first blank", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"","title":"Second title wins"}"""), BadRequest),
        Refused("api: declare with duplicate title keys", t => Api(HttpMethod.Post, "/api/incidents", """{"title":"First title","title":"Second title"}"""), BadRequest),

        // ---- REST API: change an incident with bad input ----
        Refused("api: patch an incident that does not exist", t => Api(HttpMethod.Patch, "/api/incidents/INC-999999", """{"status":"resolved"}"""), 404),
        Refused("api: patch reference 0", t => Api(HttpMethod.Patch, "/api/incidents/0", """{"status":"resolved"}"""), BadRequest),
        Refused("api: patch a negative reference", t => Api(HttpMethod.Patch, "/api/incidents/-1", """{"status":"resolved"}"""), BadRequest),
        Refused("api: patch a reference beyond 64 bits", t => Api(HttpMethod.Patch, "/api/incidents/INC-99999999999999999999999", """{"status":"resolved"}"""), BadRequest),
        Refused("api: patch an injected reference", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}%27%20OR%20%271%27=%271", """{"status":"resolved"}"""), BadRequest),
        Refused("api: patch an encoded path traversal", t => Api(HttpMethod.Patch, "/api/incidents/..%2F..%2Fetc%2Fpasswd", """{"status":"resolved"}""")),
        Refused("api: patch a reference with a NUL", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}%00", """{"status":"resolved"}"""), BadRequest),
        Refused("api: patch with an unknown status", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"exploded"}"""), BadRequest),
        Refused("api: patch with the status a number", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":3}"""), BadRequest),
        Refused("api: patch with the status an array", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":["resolved"]}"""), BadRequest),
        Refused("api: patch with a valid and an invalid field", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved","severity":"apocalyptic"}"""), BadRequest),
        Refused("api: patch with a 201-character title", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", $$"""{"title":"{{new string('t', 201)}}"}"""), BadRequest),
        Refused("api: patch with a 10,000-character impact", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", $$"""{"impact":"{{new string('i', 10_000)}}"}"""), BadRequest),
        Refused("api: patch with addServices a string", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"addServices":"checkout"}"""), BadRequest),
        Refused("api: patch with an unknown property", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved","id":"INC-1"}"""), BadRequest),
        Refused("api: patch with version in the body", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"version":0,"status":"resolved"}"""), BadRequest),
        Refused("api: patch with an If-Match of no version", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved"}""").WithHeader("If-Match", "\"yesterday\""), BadRequest),
        Refused("api: patch with an If-Match from the future", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved"}""").WithHeader("If-Match", "\"999999\""), 412),
        Refused("api: patch with an If-Match beyond 64 bits", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"resolved"}""").WithHeader("If-Match", "\"99999999999999999999999\""), BadRequest),
        Refused("api: patch with truncated JSON", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":"reso"""), BadRequest),
        Refused("api: patch with JSON null", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", "null"), BadRequest),
        Refused("api: patch nested 10,000 deep", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", $$"""{"status":{{Nested(10_000)}}}"""), BadRequest),
        Refused("api: patch over 1 MiB", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", Padded("{\"description\":\"", MiB + 1)), TooLarge),
        Refused("api: patch over 1 MiB chunked", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", Padded("{\"description\":\"", MiB + 1)) with { Chunked = true }, TooLarge),
        Answered("api: patch with nothing to change", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", "{}")),
        Answered("api: patch with only nulls", t => Api(HttpMethod.Patch, $"/api/incidents/{t.Incident}", """{"status":null,"title":null,"severity":null}""")),

        // ---- REST API: timeline and links with bad input ----
        Refused("api: timeline post without a message", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"type":"update"}"""), BadRequest),
        Refused("api: timeline post with a blank message", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":"  \n\t "}"""), BadRequest),
        Refused("api: timeline post with the message a number", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":42}"""), BadRequest),
        Refused("api: timeline post with the message an object", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":{"text":"x"}}"""), BadRequest),
        Refused("api: timeline post with a 40,001-character message", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", $$"""{"message":"{{new string('m', 40_001)}}"}"""), BadRequest),
        Refused("api: timeline post of a kind only the bot writes", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":"forged","type":"status_changed"}"""), BadRequest),
        Refused("api: timeline post of an injected kind", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":"forged","type":"update'; --"}"""), BadRequest),
        Refused("api: timeline post with an unknown property", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", """{"message":"forged","occurredAt":"2000-01-01T00:00:00Z"}"""), BadRequest),
        Refused("api: timeline post to an incident that does not exist", t => Api(HttpMethod.Post, "/api/incidents/999999/timeline", """{"message":"lost"}"""), 404),
        Refused("api: timeline post over 1 MiB", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/timeline", Padded("{\"message\":\"", MiB + 1)), TooLarge),
        Refused("api: link of an unknown kind", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"exploit","targetId":"x"}"""), BadRequest),
        Refused("api: link without a kind", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"targetId":"x"}"""), BadRequest),
        Refused("api: link without a target", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"alert"}"""), BadRequest),
        Refused("api: link to a javascript URL", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"trace","targetId":"javascript://alert(1)"}"""), BadRequest),
        Refused("api: link to a file URL", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"trace","targetId":"file:///etc/passwd"}"""), BadRequest),
        Refused("api: link to a broken URL", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"trace","targetId":"http://[::1"}"""), BadRequest),
        Refused("api: link with a 2,001-character target", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", $$"""{"type":"alert","targetId":"{{new string('a', 2_001)}}"}"""), BadRequest),
        Refused("api: link with the target a number", t => Api(HttpMethod.Post, $"/api/incidents/{t.Incident}/links", """{"type":"alert","targetId":12}"""), BadRequest),

        // ---- REST API: query strings ----
        Refused("api: timeline cursor that is not one", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?cursor=abc").Keyed(), BadRequest),
        Refused("api: timeline cursor with injection", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?cursor=1%27%20OR%201=1--").Keyed(), BadRequest),
        Refused("api: timeline cursor with a NUL", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?cursor=%00").Keyed(), BadRequest),
        Refused("api: timeline limit 0", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?limit=0").Keyed(), BadRequest),
        Refused("api: timeline limit 1,001", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?limit=1001").Keyed(), BadRequest),
        Refused("api: timeline limit negative", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?limit=-5").Keyed(), BadRequest),
        Refused("api: timeline limit not a number", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?limit=ten").Keyed(), BadRequest),
        Refused("api: timeline limit beyond 32 bits", t => RawRequest.Get($"/api/incidents/{t.Incident}/timeline?limit=99999999999").Keyed(), BadRequest),
        Refused("api: timeline of an incident that does not exist", t => RawRequest.Get("/api/incidents/999999/timeline").Keyed(), 404),
        Refused("api: list with an unknown status", t => RawRequest.Get("/api/incidents?status=exploded").Keyed(), BadRequest),
        Refused("api: list with an injected severity", t => RawRequest.Get("/api/incidents?severity=1%27%20OR%20%271%27=%271").Keyed(), BadRequest),
        Refused("api: list limit 0", t => RawRequest.Get("/api/incidents?limit=0").Keyed(), BadRequest),
        Refused("api: list limit 501", t => RawRequest.Get("/api/incidents?limit=501").Keyed(), BadRequest),
        Refused("api: list limit not a number", t => RawRequest.Get("/api/incidents?limit=all").Keyed(), BadRequest),
        Refused("api: list cursor not a number", t => RawRequest.Get("/api/incidents?cursor=abc").Keyed(), BadRequest),
        Refused("api: list cursor beyond 64 bits", t => RawRequest.Get("/api/incidents?cursor=99999999999999999999999").Keyed(), BadRequest),
        Refused("api: list since that is not a time", t => RawRequest.Get("/api/incidents?since=yesterday").Keyed(), BadRequest),
        Refused("api: list since a duration too long for the calendar", t => RawRequest.Get("/api/incidents?since=P10000000D").Keyed(), BadRequest),
        Refused("api: list since a duration beyond TimeSpan", t => RawRequest.Get("/api/incidents?since=P99999999999D").Keyed(), BadRequest),
        Answered("api: list with an injected service", t => RawRequest.Get("/api/incidents?service=%27%3B%20DROP%20TABLE%20incidents%3B%20--").Keyed()),
        Answered("api: list with a 10,000-character service", t => RawRequest.Get("/api/incidents?service=" + new string('s', 10_000)).Keyed()),
        Answered("api: list with FTS5 operators as the service", t => RawRequest.Get("/api/incidents?service=%22a%22%20OR%20NEAR(b%20c)%20*").Keyed()),
        Answered("api: list with a negative cursor", t => RawRequest.Get("/api/incidents?cursor=-1").Keyed()),
        Answered("api: list with repeated parameters", t => RawRequest.Get("/api/incidents?status=active&status=resolved&limit=1&limit=2").Keyed()),
        Answered("api: list since the year 1", t => RawRequest.Get("/api/incidents?since=0001-01-01T00:00:00Z").Keyed()),
        Answered("api: list until the year 9999", t => RawRequest.Get("/api/incidents?until=9999-12-31T23:59:59Z").Keyed()),
        Refused("api: stats since that is not a time", t => RawRequest.Get("/api/stats?since=last%20tuesday").Keyed(), BadRequest),
        Refused("api: stats since with injection", t => RawRequest.Get("/api/stats?since=%27%3B%20DROP%20TABLE%20incidents%3B%20--").Keyed(), BadRequest),
        Refused("api: stats since a bare P", t => RawRequest.Get("/api/stats?since=P").Keyed(), BadRequest),
        Refused("api: stats since a negative duration", t => RawRequest.Get("/api/stats?since=-P1D").Keyed(), BadRequest),
        Refused("api: stats since a duration too long for the calendar", t => RawRequest.Get("/api/stats?since=P10000000D").Keyed(), BadRequest),
        Refused("api: stats since a duration beyond TimeSpan", t => RawRequest.Get("/api/stats?since=P99999999999D").Keyed(), BadRequest),
        Refused("api: stats since 20-digit seconds", t => RawRequest.Get("/api/stats?since=PT99999999999999999999S").Keyed(), BadRequest),
        Refused("api: stats since after until", t => RawRequest.Get("/api/stats?since=P1D&until=P2D").Keyed(), BadRequest),
        Refused("api: stats since in the year 9999", t => RawRequest.Get("/api/stats?since=9999-12-31T23:59:59Z").Keyed(), BadRequest),
        Refused("api: stats until in the year 1", t => RawRequest.Get("/api/stats?until=0001-01-01T00:00:00Z").Keyed(), BadRequest),
        Refused("api: stats since with a NUL", t => RawRequest.Get("/api/stats?since=%00").Keyed(), BadRequest),
        Refused("api: stats since a 10,000-character value", t => RawRequest.Get("/api/stats?since=" + new string('P', 10_000)).Keyed()),
        Refused("api: stats since with an offset beyond 14 hours", t => RawRequest.Get("/api/stats?since=2026-01-01T00:00:00%2B15:00").Keyed(), BadRequest),
        Answered("api: stats over all time", t => RawRequest.Get("/api/stats?since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59Z").Keyed()),
        Answered("api: stats with unknown parameters", t => RawRequest.Get("/api/stats?drop=table&since=P1D&since=P2D").Keyed()),
    ];

    private static HostileCase Refused(string name, Func<RobustnessBot, RawRequest> request, int? status = null) => new(name, Verdict.Refused, request, status);

    private static HostileCase Ignored(string name, Func<RobustnessBot, RawRequest> request) => new(name, Verdict.Ignored, request, 200);

    private static HostileCase Answered(string name, Func<RobustnessBot, RawRequest> request) => new(name, Verdict.Answered, request);

    /// <summary>A message to the incident channel that would land in its timeline if it were believed.</summary>
    private static string Forged(RobustnessBot t, string text = "forged message") => RobustnessBot.MessageEvent(t.IncidentChannel, text);

    private static RawRequest Events(string body) => RawRequest.Post("/slack/events", body, "application/json");

    private static RawRequest Events(byte[] body) => RawRequest.Post("/slack/events", body, "application/json");

    private static RawRequest Commands(string form) => RawRequest.Post("/slack/commands", form, "application/x-www-form-urlencoded");

    private static RawRequest Commands(byte[] form) => RawRequest.Post("/slack/commands", form, "application/x-www-form-urlencoded");

    private static RawRequest Interactions(string form) => RawRequest.Post("/slack/interactions", form, "application/x-www-form-urlencoded");

    private static RawRequest Api(HttpMethod method, string path, string json) => RawRequest.Json(method, path, json).Keyed();

    private static RawRequest Signed(this RawRequest request) => request.SignedBy(Secret, RobustnessBot.Now);

    private static RawRequest Keyed(this RawRequest request) => request with { Authorization = "Bearer " + TestBot.ApiKey };

    private static RawRequest Versioned(RawRequest request, string version) => request with { Signature = version + request.Signature![2..] };

    private static string Sign(string body) => IncidentBot.Slack.AspNetCore.SlackSignatureVerifier.Sign(
        Secret, RobustnessBot.Now.ToString(System.Globalization.CultureInfo.InvariantCulture), Utf8(body));

    private static string CommandForm(RobustnessBot t, string text, string? channel = null, string command = "/incident") => SlackEscaping.Form(
        ("command", command), ("text", text), ("user_id", SlackTestBot.Responder), ("user_name", "alice"),
        ("channel_id", channel ?? t.OtherChannel), ("team_id", t.TeamId), ("trigger_id", "1.2.3"), ("response_url", t.Slack.Slack.ResponseUrl()));

    private static string Payload(string json) => SlackEscaping.Form(("payload", json));

    private static string Click(RobustnessBot t, string actionId, string? blockId = null, string user = SlackTestBot.Responder) => $$"""
        {"type":"block_actions","user":{"id":"{{user}}","username":"someone"},"api_app_id":"A0BOT","team":{"id":"{{t.TeamId}}"},"trigger_id":"1.2.3",
         "container":{"type":"message","message_ts":"1700000000.000001","channel_id":"{{t.IncidentChannel}}"},"channel":{"id":"{{t.IncidentChannel}}"},
         "actions":[{"action_id":"{{actionId}}","block_id":"{{blockId ?? CardActions.BlockIdPrefix + t.Incident}}","type":"button","value":"{{t.Incident}}","action_ts":"1700000000.000002"}]}
        """;

    private static string DeclareForm(string title) => new System.Text.Json.Nodes.JsonObject
    {
        ["type"] = "view_submission",
        ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = SlackTestBot.Responder },
        ["view"] = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "V0MODAL",
            ["callback_id"] = DeclareModal.CallbackId,
            ["state"] = new System.Text.Json.Nodes.JsonObject
            {
                ["values"] = new System.Text.Json.Nodes.JsonObject
                {
                    [DeclareModal.TitleBlock] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["input"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "plain_text_input", ["value"] = title },
                    },
                },
            },
        },
    }.ToJsonString();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The text with <paramref name="placeholder"/> replaced by raw bytes (which need not be UTF-8).</summary>
    private static byte[] Bytes(string text, string placeholder, byte[] bytes)
    {
        var at = text.IndexOf(placeholder, StringComparison.Ordinal);
        return [.. Utf8(text[..at]), .. bytes, .. Utf8(text[(at + placeholder.Length)..])];
    }

    private static string Nested(int depth)
    {
        var text = new StringBuilder(depth * 6);
        for (var i = 0; i < depth; i++)
        {
            text.Append("{\"a\":");
        }

        text.Append('1').Append('}', depth);
        return text.ToString();
    }

    /// <summary>A signed-looking event of an unknown kind, padded with a long string to exactly <paramref name="size"/> bytes.</summary>
    private static string Padded(RobustnessBot t, int size) => Padded(t.Envelope("""{"type":"reaction_added"}""")[..^1] + ",\"padding\":\"", size);

    /// <summary><paramref name="head"/> + x… + <paramref name="tail"/>, exactly <paramref name="size"/> bytes (ASCII).</summary>
    private static string Padded(string head, int size, string tail = "\"}") => head + new string('x', size - head.Length - tail.Length) + tail;

    private static string Padding(int size) => new('x', size);
}
