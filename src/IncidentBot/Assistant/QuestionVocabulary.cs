namespace IncidentBot.Assistant;

/// <summary>
/// The words each kind of question is asked with, beyond the pattern that recognised it ("what remediation
/// <i>actions</i> did the <i>responders take</i>"): understood as part of asking that kind, so they are not left unread.
/// </summary>
internal static class QuestionVocabulary
{
    private static readonly Dictionary<QuestionKind, HashSet<string>> Words = new()
    {
        [QuestionKind.RootCause] = Of("cause", "caused", "causes", "why", "reason", "reasons", "behind", "happen", "fail", "failed", "break",
            "broke", "go", "went", "down", "wrong", "trigger", "triggered", "rca", "determined", "identified", "known", "cut"),
        [QuestionKind.Remediation] = Of("actions", "action", "responders", "responder", "take", "taken", "took", "steps", "step", "fix", "fixed",
            "mitigate", "mitigated", "mitigation", "resolve", "resolved", "remediation", "try", "tried", "engineers", "people", "oncall",
            "on", "call", "team", "they", "were", "mitigations", "remediations", "applied", "did"),
        [QuestionKind.Status] = Of("status", "state", "current", "where", "stand", "stands", "doing", "going", "at"),
        [QuestionKind.Severity] = Of("severity", "sev", "priority", "level", "bad", "serious", "severe", "rated", "classified"),
        [QuestionKind.Commander] = Of("commander", "commanders", "ic", "lead", "leading", "leads", "charge", "running", "runs", "handling",
            "handles", "owner", "owns", "owning", "driving", "drives", "who", "point", "manager", "responsible", "in", "led", "ran", "owned"),
        [QuestionKind.Services] = Of("services", "service", "systems", "system", "components", "component", "affected", "affect", "affects",
            "impacted", "impact", "impacts", "involved", "hit", "touched", "broken", "down", "touch", "touches", "involve", "involves"),
        [QuestionKind.Impact] = Of("impact", "impacted", "customers", "customer", "users", "user", "affected", "affect", "who", "bad",
            "people", "blast", "radius", "merchants", "scope", "requests", "orders", "felt", "feel"),
        [QuestionKind.Duration] = Of("long", "duration", "last", "lasted", "take", "took", "taken", "resolve", "resolved", "fix", "fixed",
            "open", "when", "declared", "start", "started", "end", "ended", "time", "ttr", "mitigate", "mitigated", "stable", "going",
            "running", "begin", "began", "took", "been", "did", "over", "closed", "until"),
        [QuestionKind.Changes] = Of("changed", "change", "changes", "new", "updates", "update", "news", "going", "latest", "happened",
            "happening", "recent"),
        [QuestionKind.Mttr] = Of("mttr", "mean", "average", "avg", "median", "time", "resolve", "resolution", "recover", "recovery", "repair",
            "restore", "fix", "typical", "our", "usually", "typically", "normally", "long", "take", "takes", "close", "ttr"),
        [QuestionKind.Mttd] = Of("mttd", "mean", "average", "avg", "median", "time", "detect", "detection", "discover", "discovery",
            "notice", "our"),
        [QuestionKind.Count] = Of("count", "counted", "total", "were", "there", "had", "have"),
        [QuestionKind.Trend] = Of("trend", "trends", "frequency", "often", "more", "fewer", "rate", "over", "time", "number", "count", "counts",
            "up", "down", "going", "are", "getting", "we", "having"),
        [QuestionKind.Breakdown] = Of("service", "services", "system", "systems", "most", "top", "affected", "impacted", "hit", "count", "counts",
            "number", "per", "by", "severity", "severities", "each", "breakdown", "has", "have", "had", "which", "what"),
        [QuestionKind.PersonActivity] = Of("do", "done", "doing", "say", "said", "post", "posted", "write", "wrote", "work", "worked"),
        [QuestionKind.List] = Of("list", "show", "which", "were", "there", "all", "ones", "them"),
    };

    public static bool Belongs(QuestionKind kind, string word) => Words.TryGetValue(kind, out var words) && words.Contains(word);

    private static HashSet<string> Of(params string[] words) => new(words, StringComparer.Ordinal);
}
