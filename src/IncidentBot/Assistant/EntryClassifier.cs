using System.Text.RegularExpressions;
using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.Assistant;

/// <summary>
/// What a timeline message reads like, by fixed word patterns: simple enough to explain to a responder
/// ("it says 'rolled back', so it is listed as done").
/// </summary>
internal static partial class EntryClassifier
{
    /// <summary>Something was done: past tense of the usual moves, in a message that is not a question or an explanation of the cause.</summary>
    public static bool ReadsLikeDone(string text) => !IsQuestion(text) && !ReadsLikeRootCause(text) && Done().IsMatch(text);

    /// <summary>Something is being tried or suspected right now.</summary>
    public static bool ReadsLikeTrying(string text) => !IsQuestion(text) && Trying().IsMatch(text);

    public static bool ReadsLikeRootCause(string text) => RootCause().IsMatch(text);

    /// <summary>A guess at the cause, not yet confirmed: "hypothesis: …", "I suspect …", "might be …".</summary>
    public static bool ReadsLikeHypothesis(string text) => !IsQuestion(text) && !RootCause().IsMatch(text) && Hypothesis().IsMatch(text);

    public static bool ReadsLikeImpact(string text) => Impact().IsMatch(text);

    public static bool ReadsLikeActionItem(string text) => ActionItem().IsMatch(text);

    public static bool ReadsLikeLesson(string text) => Lesson().IsMatch(text);

    /// <summary>A choice the responders made: "decided to fail over", "we agreed …", "going with …", "decision: …".</summary>
    public static bool ReadsLikeDecision(string text) => !IsQuestion(text) && Decision().IsMatch(text);

    /// <summary>A question: its last sentence ends with '?' (trailing emoji codes and spaces ignored).</summary>
    public static bool IsQuestion(string text)
    {
        var trimmed = TrailingDecoration().Replace(text, "");
        return trimmed.EndsWith('?');
    }

    /// <summary>A reply that reads like an answer: "yes", "no", "confirmed", "it was …", "not yet" ….</summary>
    public static bool ReadsLikeAnswer(string text) => !IsQuestion(text) && Answer().IsMatch(text);

    /// <summary>One line, Slack user mentions reduced to <c>&lt;@U…&gt;</c>, at most <paramref name="max"/> characters.</summary>
    public static string Excerpt(string text, int max = 200)
    {
        var line = Whitespace().Replace(SlackMarkup.Replace(text, e => e is SlackUserMention m ? m.User.Mention : e.Markup), " ").Trim();
        return line.Length <= max ? line : line[..(max - 1)].TrimEnd() + "…";
    }

    /// <summary>Slack user ids mentioned in the text.</summary>
    public static IEnumerable<string> Mentions(string text) => SlackMarkup.UserMentions(text).Select(user => user.Value);

    /// <summary>Whether the entry is something a person wrote (not an automatic entry, not deleted, not empty).</summary>
    public static bool IsWritten(TimelineEntry entry) =>
        entry.DeletedAt is null && !string.IsNullOrWhiteSpace(entry.Text)
        && entry.Kind is TimelineEntryKind.Message or TimelineEntryKind.Update or TimelineEntryKind.Action or TimelineEntryKind.Resolution;

    [GeneratedRegex(@"\b(rolled back|roll(ed)?[- ]?back (is )?(done|complete|finished)|reverted|restarted|rebooted|re-?deployed|deployed|shipped|released|rolled out|scaled( up| out| down)?|failed over|drained|disabled|enabled|turned (off|on)|switched (off|on|over)|blocked|unblocked|rate[- ]limited|throttled|flushed|purged|cleared|increased|decreased|bumped|raised|lowered|patched|hot-?fixed|applied|rotated|killed|bounced|paused|resumed|cordoned|migrated|moved traffic|shifted traffic|added capacity|mitigated|fixed|pinned|promoted|banned|geo-?blocked|recovered)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Done();

    [GeneratedRegex(@"\b(trying|try to|investigating|looking into|looking at|checking|testing|attempting|working on|digging|debugging|rolling back|reverting|restarting|redeploying|deploying|scaling|failing over|draining|suspect|suspecting|hypothes[ie]s|might be|could be|may be|seems (like|to)|i think|theory|going to|about to|will try|next step|monitoring|watching)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trying();

    [GeneratedRegex(@"\b(root[- ]?cause|caused by|the cause|cause (was|is)|culprit|because of|due to|turned out|triggered by|the (issue|problem|bug) (was|is)|rca)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RootCause();

    [GeneratedRegex(@"\b(hypothes[ie]s|suspect(ing|ed)?|might be|could be|may be|i think|theory|probably|likely|looks like it'?s)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hypothesis();

    [GeneratedRegex(@"\b(customers?|users?|merchants?|impact(ed|ing)?|affect(ed|ing)?|unable to|cannot|can't|outage|degraded|down for)\b|\d+(\.\d+)?\s?%", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Impact();

    [GeneratedRegex(@"\b(follow[- ]?ups?|action items?|todo|to-do|we should|we need to|need to add|should add|ticket|jira|add (an? )?(alert|monitor|test|runbook))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ActionItem();

    [GeneratedRegex(@"\b(decided|decision|agreed|going with|go ahead with|the plan is|we('ll| will) go with|the call is)\b|\bplan:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Decision();

    [GeneratedRegex(@"\b(lessons?|learned|learnt|went well|went wrong|in hindsight|next time|got lucky|takeaways?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Lesson();

    [GeneratedRegex(@"^\W*(yes|yep|yeah|yup|no|nope|nah|confirmed|confirm|correct|negative|affirmative|done|not yet|it (is|was|did|does)|it's|they (are|were|did)|we (did|have|are)|already|both|none|looks like|answer)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Answer();

    [GeneratedRegex(@"(\s|:[a-z0-9_+\-]+:|[\p{So}\p{Sk}\uFE0F\u200D]|\p{Cs})+$")]
    private static partial Regex TrailingDecoration();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
