using IncidentBot.Assistant;

namespace IncidentBot.Tests.Assistant;

/// <summary>
/// Questions as responders write them, each with the answer it must get from <see cref="QuestionWorld"/>'s history
/// (Wednesday 2026-11-18 10:00 UTC): the number, the incidents in order, the names and words the answer holds. A
/// question read only in part must say what it did not understand instead of answering.
/// </summary>
public sealed class QuestionTableTests(QuestionWorld world) : IClassFixture<QuestionWorld>
{
    private const string Alice = "<@U0ALICE>";
    private const string Bob = "<@U0BOB>";
    private const string Carol = "<@U0CAROL>";
    private const string Dave = "<@U0DAVE>";
    private const string Erin = "<@U0ERIN>";

    public static TheoryData<string, long, Expected> Table => new()
    {
        // Counts by severity, in every spelling, and time frame: this month holds INC-4 … INC-9, SEV-1 ones are 4, 6 and 8.
        { "how many sev1s this month", 0, Count(3, 8, 6, 4) },
        { "How many SEV-1 incidents this month?", 0, Count(3, 8, 6, 4) },
        { "how many sev 1 incidents did we have this month?", 0, Count(3, 8, 6, 4) },
        { "number of sev-1s this month", 0, Count(3, 8, 6, 4) },
        { "how many SEV1's so far this month", 0, Count(3, 8, 6, 4) },
        { "count sev1 incidents this month", 0, Count(3, 8, 6, 4) },
        { "how many critical incidents this month?", 0, Count(3, 8, 6, 4) },
        { "how many p1s this month", 0, Count(3, 8, 6, 4) },
        { "This month, how many incidents were severity 1?", 0, Count(3, 8, 6, 4) },
        { "how many incidents this month", 0, Count(6, 9, 8, 7, 6, 5, 4) },
        { "how many sev1 or sev2 incidents this month", 0, Count(5, 9, 8, 6, 5, 4) },
        { "how many sev2 or higher incidents in the last 3 days", 0, Count(2, 9, 8) },
        { "how many sev2s last month", 0, Count(0) },
        { "how many sev1s in the past week", 0, Count(2, 8, 6) },

        // Counts by status.
        { "how many incidents are currently ongoing?", 0, Count(3, 9, 8, 7) },
        { "how many open incidents are there?", 0, Count(3, 9, 8, 7) },
        { "How many incidents are active right now", 0, Count(3, 9, 8, 7) },
        { "how many incidents are resolved this month", 0, Count(3, 6, 5, 4) },
        { "how many stable incidents", 0, Count(1, 7) },
        { "HOW MANY MITIGATED INCIDENTS?", 0, Count(1, 7) },

        // Counts by time frame.
        { "how many incidents last month?", 0, Count(3, 3, 2, 1) },
        { "how many incidents in October", 0, Count(3, 3, 2, 1) },
        { "how many incidents since Monday", 0, Count(3, 9, 8, 7) },
        { "how many incidents yesterday?", 0, Count(1, 7) },
        { "how many incidents today", 0, Count(3, 9, 8, 7) },
        { "how many incidents in the last 3 days", 0, Count(3, 9, 8, 7) },
        { "how many incidents were there in the last 24 hours", 0, Count(3, 9, 8, 7) },
        { "how many incidents last week", 0, Count(2, 6, 5) },
        { "how many incidents have we had since the start of the month?", 0, Count(6, 9, 8, 7, 6, 5, 4) },
        { "how many incidents in the past 24h?", 0, Count(3, 9, 8, 7) },

        // Counts by service and by words of titles.
        { "how many incidents affected payments-api this month?", 0, Count(3, 9, 5, 4) },
        { "how many payments incidents this month", 0, Count(3, 9, 5, 4) },
        { "how many incidents hit the orders-db service?", 0, Count(2, 6, 2) },
        { "How many SEV-1 incidents affected orders-db last month?", 0, Count(1, 2) },
        { "how many ddos incidents this month?", 0, Count(1, 8) },

        // Lists.
        { "show me all Sev-1 incidents that occurred in the past week", 0, Listed(8, 6) },
        { "list open incidents", 0, Listed(9, 8, 7) },
        { "which incidents are active?", 0, Listed(9, 8, 7) },
        { "show sev1s since Monday", 0, Listed(8) },
        { "list incidents affecting payments-api", 0, Listed(9, 5, 4) },
        { "were there any incidents in the past month that impacted the payments service?", 0, Listed(9, 5, 4) },
        { "any incidents on the orders-db service this month?", 0, Listed(6) },
        { "show resolved incidents from last month", 0, Listed(3, 2, 1) },
        { "incidents since 2026-11-10", 0, Listed(9, 8, 7, 6, 5) },
        { "sev1 incidents yesterday", 0, Listed() },
        { "list the sev-1 and sev-2 incidents this week", 0, Listed(9, 8) },
        { "Show me high severity incidents this month", 0, Listed(9, 5) },
        { "list critical incidents", 0, Listed(8, 6, 4, 2, 1) },
        { "are there any open incidents?", 0, Listed(9, 8, 7) },
        { "is there an incident right now?", 0, Listed(9, 8, 7) },
        { "what are the incidents commanded by whoever", 0, NotUnderstood("commanded", "whoever") },

        // One incident: commander, status, severity, services, impact, duration; by reference, title words or channel.
        { "who is the commander of INC-3?", 0, About("commander", 3, Erin) },
        { "who's the IC for INC-4", 0, About("commander", 4, Bob) },
        { "Who is running incident 8?", 0, About("commander", 8, Alice) },
        { "commander of #6?", 0, About("commander", 6, Dave) },
        { "who is leading the login incident?", 0, About("commander", 7, Carol) },
        { "who's the incident commander here?", 8, About("commander", 8, Alice) },
        { "what is the status of the login incident?", 0, About("status", 7, "INC-7 is **stable**") },
        { "status of INC-4", 0, About("status", 4, "INC-4 is **resolved**") },
        { "What's the status of incident 8?", 0, About("status", 8, "INC-8 is **active**") },
        { "is INC-9 resolved?", 0, About("status", 9, "INC-9 is **active**") },
        { "status?", 8, About("status", 8, "INC-8 is **active**") },
        { "what is the status of inc-5", 0, About("status", 5, "INC-5 is **resolved**") },
        { "what severity is INC-5?", 0, About("severity", 5, "INC-5 is **SEV-2**") },
        { "what's the severity of the ddos incident", 0, About("severity", 8, "INC-8 is **SEV-1**") },
        { "is INC-7 a sev1?", 0, About("severity", 7, "INC-7 is **SEV-4**") },
        { "severity of incident-1?", 0, About("severity", 1, "INC-1 is **SEV-1**") },
        { "which services does INC-4 affect?", 0, About("services", 4, "checkout-api, payments-api") },
        { "what services were impacted by the ddos incident?", 0, About("services", 8, "edge-proxy, cdn") },
        { "Which services did the login incident impact?", 0, About("services", 7, "INC-7 affects **auth**") },
        { "who's the commander on INC-2?", 0, About("commander", 2, Dave) },
        { "how long did INC-2 last?", 0, About("duration", 2, "45 min") with { Duration = TimeSpan.FromMinutes(45) } },
        { "what is the customer impact of INC-4?", 0, About("impact", 4, "38% of checkout attempts fail") },
        { "who is affected by INC-8?", 0, About("impact", 8, "Site unreachable for most customers in Europe") },
        { "how long did INC-4 take to resolve?", 0, About("duration", 4, "1 h 30 min") with { Duration = TimeSpan.FromMinutes(90) } },
        { "how long has the ddos incident been open?", 0, About("duration", 8, "open for **2 h**") with { Duration = TimeSpan.FromHours(2) } },
        { "when was INC-6 resolved", 0, About("duration", 6, "Resolved 2026-11-12 23:00 UTC", "1 h") },
        { "duration of incident 2", 0, About("duration", 2, "45 min") with { Duration = TimeSpan.FromMinutes(45) } },
        { "what was the root cause of INC-4?", 0, About("root_cause", 4, "lowered the connection pool from 50 to 5") with { CitesEntry = "checkout-root-cause" } },
        { "root cause of the sso incident?", 0, About("root_cause", 1, "missing its intermediate") },
        { "what remediation actions did the responders take in INC-4?", 0, About("remediation", 4, "Rolled back checkout-api to v2.13.2") },
        { "how was INC-6 fixed?", 0, About("remediation", 6, "Restarted the orders database primary") },

        // Summaries of incidents named by their titles.
        { "summarise the login incident", 0, About("summary", 7, "Login page slow for EU users") },
        { "what happened in INC-6?", 0, About("summary", 6, "Orders database connection storm") },

        // What changed in a time frame.
        { "what changed in the last hour?", 0, new("changes") { Incidents = [9, 8], Says = ["Enabled the CDN's under-attack mode", "Incident declared: Payment provider timeouts"], DoesNotSay = ["Login page slow"] } },
        { "what happened in the last 30 minutes?", 0, new("changes") { Incidents = [8], Says = ["Added rate limiting rules"], DoesNotSay = ["Payment provider"] } },
        { "what changed in INC-8 since 09:00?", 0, new("changes") { Incidents = [8], Says = ["Enabled the CDN's under-attack mode"], DoesNotSay = ["Traffic is coming from a botnet"] } },
        { "any updates since 9:30?", 8, new("changes") { Incidents = [8], Says = ["Error rate is dropping"], DoesNotSay = ["under-attack mode"] } },
        { "what's new since yesterday?", 0, new("changes") { Incidents = [9, 8, 7], Says = ["Login page slow", "DDoS attack"] } },
        { "what changed in the last 30m?", 0, new("changes") { Incidents = [8], Says = ["Should we geo-block"] } },
        { "what changed?", 0, NotUnderstood("since when") },
        { "what changed?", 8, About("summary", 8, "Summary of INC-8") },

        // MTTR, MTTD.
        { "what's the mttr this month?", 0, new("mttr") { Count = 3, Duration = TimeSpan.FromMinutes(90), Says = ["**MTTR: 1 h 30 min**"], Incidents = [6, 5, 4] } },
        { "MTTR last month", 0, new("mttr") { Count = 3, Duration = TimeSpan.FromMinutes(75), Says = ["1 h 15 min"] } },
        { "what is our mean time to resolve?", 0, new("mttr") { Count = 6, Duration = TimeSpan.FromMinutes(82.5), Says = ["1 h 22 min"] } },
        { "average time to resolve sev1 incidents this month", 0, new("mttr") { Count = 2, Duration = TimeSpan.FromMinutes(75), Incidents = [6, 4] } },
        { "how long do incidents usually take to resolve?", 0, new("mttr") { Count = 6, Says = ["1 h 22 min"] } },
        { "what's the mean time to recovery for last month?", 0, new("mttr") { Count = 3, Duration = TimeSpan.FromMinutes(75), Incidents = [3, 2, 1] } },
        // MTTD, as /api/stats computes it: this month INC-4 10 min, INC-5 30 min, INC-6 20 min; INC-7, 8, 9 have no impact start.
        { "what's the MTTD this month?", 0, Mttd(3, 20, [6, 5, 4], "of the 3 incidents declared this month", "with an impact-start time", "3 more have no impact-start time and are not counted: INC-9, INC-8, INC-7") },
        { "mean time to detect for sev1s last week", 0, Mttd(1, 20, [6], "of the 1 SEV-1 incident declared last week") },
        { "MTTD last month", 0, Mttd(1, 5, [2], "2 more have no impact-start time and are not counted: INC-3, INC-1") },
        { "average time to detect payments incidents this month", 0, Mttd(2, 20, [5, 4], "1 more has no impact-start time and is not counted: INC-9") },
        { "what's the MTTD of sev4 incidents this month?", 0, new("mttd") { Count = 0, Says = ["None of the 1 SEV-4 incident declared this month", "has an impact-start time, so there is no MTTD to give"] } },
        { "how long did it take to detect INC-4?", 0, new("mttd") { Incidents = [4], Duration = TimeSpan.FromMinutes(10), Says = ["Time to detect: **10 min**"] } },
        { "how long did it take to detect INC-3?", 0, new("mttd") { Incidents = [3], Says = ["INC-3 has no impact-start time", "left out of the MTTD"] } },
        { "what was the time to detect of the connection storm incident?", 0, new("mttd") { Incidents = [6], Duration = TimeSpan.FromMinutes(20) } },

        // Who did something, from the timelines.
        { "who restarted the database?", 0, new("who_did") { Incidents = [6], Says = [Dave, "Restarted the orders database primary"], CitesEntry = "restarted-database" } },
        { "Who rolled back checkout-api?", 0, new("who_did") { Incidents = [4], Says = [Carol, "Rolled back checkout-api to v2.13.2"] } },
        { "who declared INC-8?", 0, new("who_did") { Incidents = [8], Says = [Alice] } },
        { "who enabled the under-attack mode?", 0, new("who_did") { Incidents = [8], Says = [Bob], CitesEntry = "under-attack" } },
        { "who did the rollback in INC-4?", 0, new("who_did") { Incidents = [4], Says = [Carol] } },
        { "who posted the status page update?", 0, new("who_did") { Incidents = [4], Says = [Erin, "Status page updated"] } },
        { "who resolved INC-4?", 0, new("who_did") { Incidents = [4], Says = [Bob, "Status changed from stable to resolved"] } },
        { "who rebooted the mainframe?", 0, new("who_did") { Incidents = [], Says = ["cannot say who did it"] } },

        // Several incidents match the words of a title: say which, never pick one.
        { "what is the status of the payment incident?", 0, Ambiguous(9, 5) },
        { "who is the commander of the checkout incident?", 0, Ambiguous(9, 4) },
        { "what's the status of the orders-db incident?", 0, Ambiguous(6, 2) },
        { "who is the commander of the search-api incident?", 0, About("commander", 3, Erin) },
        { "what is the status of the latest incident?", 0, About("status", 9, "INC-9 is **active**") },
        { "status of the unicorn incident", 0, new(null) { Incidents = [], Says = ["No incident's title mentions “unicorn”"] } },
        { "who restarted " + string.Concat(Enumerable.Repeat("the database ", 200)) + "in INC-6?", 0, new(null) { Incidents = [], Says = ["That question is 2,623 characters long; I read questions of up to 2,000. Ask it in fewer words."] } },
        { "status of the flux capacitor incident", 0, new(null) { Incidents = [], Says = ["No incident's title mentions all of “flux”, “capacitor”"] } },
        { "what's the status of the incident?", 0, new("status") { Says = ["Which incident?"] } },

        // More phrasings, as responders and managers ask them: plurals, P-numbers, references written #8 and incident 5.
        { "how many P1 incidents in October?", 0, Count(2, 2, 1) },
        { "list sev-2s", 0, Listed(9, 5) },
        { "how many critical incidents last month", 0, Count(2, 2, 1) },
        { "what's the status of #8", 0, About("status", 8, "INC-8 is **active**") },
        { "who is the IC of incident 5", 0, About("commander", 5, Erin) },
        { "what's the severity of the checkout incident?", 0, Ambiguous(9, 4) },
        { "who's commanding INC-9?", 0, About("commander", 9, Erin) },
        { "how many sev1 incidents are still open", 0, Count(1, 8) },
        { "show open sev1s", 0, Listed(8) },
        { "how many sev3 or lower incidents", 0, Count(2, 7, 3) },
        { "show me sev 1 and sev 2 incidents affecting checkout-api", 0, Listed(9, 4) },
        { "how many incidents did payments-api have in october", 0, Count(0) },
        { "how many open incidents affect checkout?", 0, Count(1, 9) },
        { "what's the status of the payments incident", 0, Ambiguous(9, 5) },
        { "who is the commander?", 0, new("commander") { Says = ["Which incident?"] } },
        { "root cause of incident 1", 0, About("root_cause", 1, "missing its intermediate") },
        { "how long was incident 6", 0, About("duration", 6, "it lasted **1 h**") with { Duration = TimeSpan.FromHours(1) } },
        { "when did INC-7 start", 0, About("duration", 7, "Declared 2026-11-17 16:00 UTC") },
        { "what's the impact of the ddos incident", 0, About("impact", 8, "Site unreachable for most customers in Europe") },
        { "what services does #9 touch?", 0, About("services", 9, "payments-api, checkout-api") },
        { "is INC-8 still active?", 0, About("status", 8, "INC-8 is **active**") },
        { "has the login incident been resolved?", 0, About("status", 7, "INC-7 is **stable**") },
        { "who is the commander of the sso incident?", 0, About("commander", 1, Alice) },
        { "who was the commander of the card payments incident", 0, About("commander", 5, Erin) },
        { "what did we do to fix the ddos?", 0, About("remediation", 8, "Added rate limiting rules at 200 rps per IP") },
        { "who restarted the pods?", 0, new("who_did") { Incidents = [4], Says = [Carol, "Restarted the checkout-api pods"] } },
        { "who declared INC-4?", 0, new("who_did") { Incidents = [4], Says = [Alice, "Incident declared"] } },
        { "what's the mttr for sev-1s", 0, new("mttr") { Count = 4, Duration = TimeSpan.FromMinutes(78.75), Incidents = [6, 4, 2, 1] } },
        { "what's the mttr of orders-db incidents", 0, new("mttr") { Count = 2, Duration = TimeSpan.FromMinutes(52.5), Incidents = [6, 2] } },
        { "mttd last week", 0, Mttd(2, 25, [6, 5], "declared last week") },

        // Time frames: ranges of dates and weekdays (both days whole), dates in words, declared in a frame rather than open in it.
        { "how many incidents between November 1 and November 10", 0, Count(2, 5, 4) },
        { "how many incidents between 2026-11-01 and 2026-11-12?", 0, Count(3, 6, 5, 4) },
        { "incidents from Monday to Wednesday", 0, Listed(9, 8, 7) },
        { "incidents between March 1 and March 5", 0, Listed() },
        { "incidents since october 25", 0, Listed(9, 8, 7, 6, 5, 4, 3) },
        { "how many incidents on November 12th?", 0, Count(1, 6) },
        { "how many incidents in Nov", 0, Count(6, 9, 8, 7, 6, 5, 4) },
        { "how many incidents in November", 0, Count(6, 9, 8, 7, 6, 5, 4) },
        { "list incidents last week", 0, Listed(6, 5) },
        { "show me the sev1s from last week", 0, Listed(6) },
        { "how many incidents in the last 7 days", 0, Count(4, 9, 8, 7, 6) },
        { "how many sev-1 incidents did we have in the past 2 weeks", 0, Count(2, 8, 6) },
        { "how many incidents this quarter", 0, Count(9, 9, 8, 7, 6, 5, 4, 3, 2, 1) },
        { "how many incidents were declared today", 0, Count(2, 9, 8) },
        { "how many incidents were declared yesterday", 0, Count(1, 7) },
        { "what happened yesterday?", 0, new("changes") { Incidents = [7], Says = ["Status changed from active to stable"], DoesNotSay = ["DDoS"] } },
        { "what changed in INC-9 in the last 2 hours?", 0, new("changes") { Incidents = [9], Says = ["Incident declared: Payment provider timeouts"] } },
        { "how many incidents since 25:00", 0, NotUnderstood("since", "25") },
        { "MTTR per month", 0, NotUnderstood("per") },

        // People, by Slack mention; a name Slack has not told is said back, never guessed.
        { $"incidents commanded by {Alice}", 0, Listed(8, 1) with { Says = [$"commanded by {Alice}"] } },
        { $"how many incidents did {Erin} command this month?", 0, Count(2, 9, 5) },
        { $"list incidents {Dave} led", 0, Listed(6, 2) },
        { $"how many incidents has {Dave} commanded?", 0, Count(2, 6, 2) },
        { $"how many incidents were declared by {Erin}?", 0, Count(3, 9, 5, 3) },
        { $"incidents involving {Bob}", 0, Listed(4) },
        { $"what did {Bob} do in INC-4?", 0, new("person_activity") { Count = 9, Incidents = [4], Says = ["I'm taking IC", "Status changed from stable to resolved"], DoesNotSay = ["Restarted the checkout-api pods"] } },
        { $"what did {Carol} say in the ddos incident?", 0, new("person_activity") { Count = 2, Incidents = [8], Says = ["origin CPU is at 30%", "Added rate limiting rules"] } },
        { "incidents commanded by alice", 0, NotUnderstood("commanded", "alice") with { Says = ["I did not understand", "“alice”", "I know people by their Slack mention"] } },
        { "what did bob do in INC-4?", 0, NotUnderstood("bob") },

        { $"incidents opened by {Erin} last month", 0, Listed(3) },
        { "how many incidents were started in the last 3 days", 0, Count(3, 9, 8, 7) },
        { $"what did {Carol} do yesterday?", 0, new("person_activity") { Count = 3, Incidents = [7], Says = ["in the 1 incident open yesterday", "auth p95 is 2s in eu-west-1"] } },
        { "what did the ddos incident do to checkout?", 0, new(null) { Understood = false, Says = ["I did not understand", "It names one incident"] } },
        { "what about INC-4?", 0, new(null) { Understood = false, Says = ["I did not understand", "It names one incident"] } },
        { "who commanded the most incidents?", 0, NotUnderstood("who", "commanded") },

        // Trends and breakdowns, each figure with the incidents it counts.
        { "are incidents going up?", 0, new("trend") { Count = 7, Says = ["Week of 2026-11-16 (so far): **3** — INC-9, INC-8, INC-7", "Week of 2026-10-26: **1** — INC-3", "**Up**: 5 in the latest 2 weeks"] } },
        { "incidents per week this month", 0, new("trend") { Count = 6, Says = ["Week of 2026-11-09: **2** — INC-6, INC-5", "Week of 2026-11-02: **1** — INC-4"] } },
        { "how many sev1s per month?", 0, new("trend") { Count = 5, Says = ["November 2026 (so far): **3** — INC-8, INC-6, INC-4", "October 2026: **2** — INC-2, INC-1", "June 2026: **0**"] } },
        { "which service has the most incidents", 0, new("breakdown") { Count = 3, Incidents = [9, 5, 4], Says = ["**payments-api** has the most: **3** of the 9 incidents", "orders-db: **2** — INC-6, INC-2"] } },
        { "how many incidents per service this month", 0, new("breakdown") { Count = 3, Says = ["payments-api: **3** — INC-9, INC-5, INC-4", "edge-proxy: **1** — INC-8"], DoesNotSay = ["search-api", "sso"] } },
        { "incidents in the last 2 weeks by service", 0, new("breakdown") { Count = 2, Says = ["**payments-api** has the most: **2** of the 5 incidents", "orders-db: **1** — INC-6"] } },
        { "is the number of sev1s increasing?", 0, new("trend") { Count = 3, Says = ["Week of 2026-11-09: **1** — INC-6", "**Up**: 2 in the latest 2 weeks"] } },
        { "which severity has the most incidents", 0, new("breakdown") { Count = 5, Says = ["**SEV-1** has the most: **5** of the 9 incidents"] } },
        { "which team has the most incidents", 0, NotUnderstood("most") with { Says = ["I did not understand", "I count incidents by service or by severity"] } },
        { "incidents by severity", 0, new("breakdown") { Count = 5, Says = ["**SEV-1** has the most: **5**", "SEV-2: **2** — INC-9, INC-5"] } },

        // Not understood in full: say what, never guess.
        { "how many sev1s on the moon this month", 0, NotUnderstood("moon") },
        { "what's the weather like tomorrow?", 0, NotUnderstood("weather", "tomorrow") },
        { "how many incidents did bob handle", 0, NotUnderstood("bob", "handle") },
        { "how many incidents this fiscal year", 0, NotUnderstood("fiscal") },
        { "what is the blorp of INC-3?", 0, NotUnderstood("blorp") },
        { "kafka consumer lag", 0, NotUnderstood("kafka", "consumer", "lag") },
        { "what's the ETA for INC-4?", 0, NotUnderstood("eta") },
    };

    [Theory]
    [MemberData(nameof(Table), DisableDiscoveryEnumeration = true)]
    public async Task EachPhrasingGetsItsAnswer(string question, long inChannel, Expected expected)
    {
        var answer = await world.Assistant.AnswerAsync(question, inChannel == 0 ? null : inChannel);

        if (expected.Kind is { } kind)
        {
            Assert.Equal(kind, answer.Kind);
        }

        Assert.Equal(expected.Understood, answer.Understood);
        if (expected.Count is { } count)
        {
            Assert.Equal(count, answer.Count);
        }

        if (expected.Incidents is { } incidents)
        {
            Assert.Equal(incidents, answer.Incidents.Select(i => i.Number));
        }

        if (expected.Duration is { } duration)
        {
            Assert.Equal(duration, answer.Duration);
        }

        Assert.All(expected.Says, part => Assert.Contains(part, answer.Text));
        Assert.All(expected.DoesNotSay, part => Assert.DoesNotContain(part, answer.Text));
        if (expected.CitesEntry is { } entry)
        {
            Assert.Contains(answer.Citations, c => c.EntryId == world.Entries[entry]);
        }

        if (answer.Citations.Count > 0)
        {
            await world.AssertCitationsPointAtRealEntriesAsync(answer.Citations);
        }
    }

    [Fact]
    public async Task TheMttdAnswerIsTheFigureOfTheStatsEndpoint()
    {
        var answer = await world.Assistant.AnswerAsync("what's the MTTD this month?");
        var stats = await world.Reader.GetStatsAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), QuestionWorld.Now);

        Assert.NotNull(stats.MeanTimeToDetect);
        Assert.Equal(stats.MeanTimeToDetect, answer.Duration);
    }

    [Fact]
    public void TheTableHoldsAtLeastEightyPhrasings()
    {
        Assert.True(Table.Count >= 80, $"{Table.Count} phrasings");
    }

    [Fact]
    public async Task AnUnknownQuestionGetsAnHonestIDidNotUnderstandWithTheListOfWhatWorks()
    {
        var answer = await world.Assistant.AnswerAsync("can you order pizza for the war room?");

        Assert.False(answer.Understood);
        Assert.StartsWith("I did not understand", answer.Text);
        Assert.Contains("pizza", answer.Text);
        Assert.Contains("What I can answer without a model:", answer.Text);
        Assert.Contains("“how many sev1s this month?”", answer.Text);
        Assert.Contains("“who restarted the database?”", answer.Text);
        Assert.Contains("“what's the MTTR this month?”", answer.Text);
        Assert.Empty(answer.Citations);
        Assert.Null(answer.Count);
    }

    private static Expected Count(int count, params long[] incidents) => new("count") { Count = count, Incidents = incidents };

    private static Expected Mttd(int counted, int minutes, long[] incidents, params string[] says) =>
        new("mttd") { Count = counted, Duration = TimeSpan.FromMinutes(minutes), Incidents = incidents, Says = [$"**MTTD: {minutes} min**", .. says] };

    private static Expected Listed(params long[] incidents) => new("list") { Count = incidents.Length, Incidents = incidents };

    private static Expected About(string kind, long incident, params string[] says) => new(kind) { Incidents = [incident], Says = says };

    private static Expected Ambiguous(params long[] incidents) =>
        new(null) { Understood = false, Incidents = incidents, Says = ["which one do you mean?"] };

    private static Expected NotUnderstood(params string[] words) =>
        new(null) { Understood = false, Says = ["I did not understand", .. words.Select(w => $"“{w}”"), "What I can answer without a model:"] };

    /// <summary>What an answer must hold; absent parts are not checked.</summary>
    public sealed record Expected(string? Kind)
    {
        public int? Count { get; init; }
        public long[]? Incidents { get; init; }
        public TimeSpan? Duration { get; init; }
        public string[] Says { get; init; } = [];
        public string[] DoesNotSay { get; init; } = [];
        public bool Understood { get; init; } = true;
        public string? CitesEntry { get; init; }
    }
}
