namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Text that a careless bot would interpret instead of keeping: SQL, FTS5 query syntax, Slack markup,
/// HTML, format strings, paths, Markdown, and Unicode that breaks naive string handling. One per line.
/// </summary>
public static class InjectionStrings
{
    public static IReadOnlyList<(string Name, string Text)> All { get; } =
    [
        ("sql drop table", "'; DROP TABLE incidents; --"),
        ("sql tautology", "' OR '1'='1"),
        ("sql union", "x' UNION SELECT name, sql FROM sqlite_master --"),
        ("sql stacked delete", "1); DELETE FROM timeline_entries; /*"),
        ("sql pragma", "'); PRAGMA writable_schema = 1; --"),
        ("fts5 operators", "\"checkout\" OR NEAR(a b, 2) NOT c* ^d"),
        ("fts5 column filter", "title:{a b} AND -c + (d"),
        ("slack broadcast mentions", "<!channel> <!here> <!everyone>"),
        ("slack user and channel mentions", "<@U123> <#C123|general> <!subteam^S123>"),
        ("slack disguised link", "<https://evil.example|https://good.example>"),
        ("slack entities", "&lt;b&gt; &amp;amp; &gt;"),
        ("html script", "<script>alert(document.cookie)</script>"),
        ("html img onerror", "<img src=x onerror=alert(1)>"),
        ("format strings", "{0} {1:N2} {{}} %s %n %x %d %%"),
        ("template expressions", "${jndi:ldap://x/a} {{7*7}} #{7*7} <%= 7*7 %>"),
        ("path traversal", "../../etc/passwd ..\\..\\windows\\win.ini"),
        ("markdown and mrkdwn", "**bold** _it_ ~strike~ `code` [link](javascript:alert(1)) > quote"),
        ("json in text", "{\"status\":\"resolved\",\"commanderId\":\"U999\",\"__proto__\":{}}"),
        ("newlines and tabs", "line one\nline two\r\n\ttabbed"),
        ("rtl marks and override", "\u200Fabc\u202Eexe.txt\u202C\u200E"),
        ("zero-width joiner emoji", "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 family"),
        ("zero-width characters", "zero\u200Bwidth\u200Cnon\u200Djoiner\uFEFF"),
        ("combining characters", "e\u0301\u0302\u0303\u0304 Z\u0336\u0335a\u0338l\u0337g\u0334o"),
        ("emoji and astral plane", "\U0001F525\U0001F6A8\U0001F4A5 \U0001D573\U0001D58A\U0001D591\U0001D591\U0001D594 \U0002070E"),
        ("nul inside", "before\0after"),
        ("control characters", "bell\u0007 esc\u001B[31m red\u001B[0m del\u007F"),
        ("unicode separators", "a\u2028b\u2029c\u0085d\u00A0e"),
        ("10,000-character word", new string('w', 10_000)),
        ("20,000 emoji", string.Concat(Enumerable.Repeat("\U0001F525", 20_000))),
    ];
}
