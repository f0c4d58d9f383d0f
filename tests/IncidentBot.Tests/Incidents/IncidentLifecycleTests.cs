using IncidentBot.Incidents;
using static IncidentBot.Tests.Incidents.Samples;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentLifecycleTests
{
    /// <summary>What a timestamp should be after a move.</summary>
    public enum Expect
    {
        /// <summary>Cleared (null).</summary>
        Cleared,

        /// <summary>The instant of the move.</summary>
        Now,

        /// <summary>Whatever it was before the move.</summary>
        Unchanged,
    }

    private static readonly DateTimeOffset PriorStableAt = At(10);
    private static readonly DateTimeOffset PriorResolvedAt = At(20);
    private static readonly DateTimeOffset MoveAt = At(30);

    /// <summary>
    /// An incident in <paramref name="status"/> with a history that fits it: a stable one has stable_at,
    /// a resolved or completed one has both; an active one has neither.
    /// </summary>
    private static Incident In(IncidentStatus status) => status switch
    {
        IncidentStatus.Active => Incident(),
        IncidentStatus.Stable => Incident(status) with { StableAt = PriorStableAt },
        _ => Incident(status) with { StableAt = PriorStableAt, ResolvedAt = PriorResolvedAt },
    };

    // Seed 000, row 1: "Active to Resolved, Active to Completed" → current time.
    [Theory]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Completed)]
    public void MoveFromActiveToResolvedOrCompletedSetsResolvedAtToNow(IncidentStatus to)
    {
        var incident = Incident().MoveTo(to, At(5));

        Assert.Equal(to, incident.Status);
        Assert.Equal(At(5), incident.ResolvedAt);
        Assert.Equal(TimeSpan.FromMinutes(5), incident.TimeToResolve);
    }

    // Seed 000, row 2: "Active to Resolved to Completed" → unchanged.
    [Fact]
    public void MoveFromActiveToResolvedToCompletedLeavesResolvedAtUnchanged()
    {
        var resolved = Incident().MoveTo(IncidentStatus.Resolved, At(5));
        var completed = resolved.MoveTo(IncidentStatus.Completed, At(9));

        Assert.Equal(IncidentStatus.Completed, completed.Status);
        Assert.Equal(At(5), completed.ResolvedAt);
    }

    // Seed 000, row 2: "Active to Completed to Resolved" → unchanged.
    [Fact]
    public void MoveFromActiveToCompletedToResolvedLeavesResolvedAtUnchanged()
    {
        var completed = Incident().MoveTo(IncidentStatus.Completed, At(5));
        var resolved = completed.MoveTo(IncidentStatus.Resolved, At(9));

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(At(5), resolved.ResolvedAt);
    }

    // Seed 000, row 3: "Active to Completed to Active to Resolved" → overridden on last transition.
    [Fact]
    public void MoveFromActiveToCompletedToActiveToResolvedOverridesResolvedAtOnTheLastMove()
    {
        var completed = Incident().MoveTo(IncidentStatus.Completed, At(5));
        var reopened = completed.MoveTo(IncidentStatus.Active, At(9));
        var resolved = reopened.MoveTo(IncidentStatus.Resolved, At(14));

        Assert.Equal(At(5), completed.ResolvedAt);
        Assert.Null(reopened.ResolvedAt);
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(At(14), resolved.ResolvedAt);
        Assert.Equal(TimeSpan.FromMinutes(14), resolved.TimeToResolve);
    }

    [Theory]
    [InlineData(IncidentStatus.Active, IncidentStatus.Active, Expect.Unchanged, Expect.Unchanged)]
    [InlineData(IncidentStatus.Active, IncidentStatus.Stable, Expect.Cleared, Expect.Now)]
    [InlineData(IncidentStatus.Active, IncidentStatus.Resolved, Expect.Now, Expect.Unchanged)]
    [InlineData(IncidentStatus.Active, IncidentStatus.Completed, Expect.Now, Expect.Unchanged)]
    [InlineData(IncidentStatus.Stable, IncidentStatus.Active, Expect.Cleared, Expect.Unchanged)]
    [InlineData(IncidentStatus.Stable, IncidentStatus.Stable, Expect.Unchanged, Expect.Unchanged)]
    [InlineData(IncidentStatus.Stable, IncidentStatus.Resolved, Expect.Now, Expect.Unchanged)]
    [InlineData(IncidentStatus.Stable, IncidentStatus.Completed, Expect.Now, Expect.Unchanged)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Active, Expect.Cleared, Expect.Unchanged)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Stable, Expect.Cleared, Expect.Unchanged)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Resolved, Expect.Unchanged, Expect.Unchanged)]
    [InlineData(IncidentStatus.Resolved, IncidentStatus.Completed, Expect.Unchanged, Expect.Unchanged)]
    [InlineData(IncidentStatus.Completed, IncidentStatus.Active, Expect.Cleared, Expect.Unchanged)]
    [InlineData(IncidentStatus.Completed, IncidentStatus.Stable, Expect.Cleared, Expect.Unchanged)]
    [InlineData(IncidentStatus.Completed, IncidentStatus.Resolved, Expect.Unchanged, Expect.Unchanged)]
    [InlineData(IncidentStatus.Completed, IncidentStatus.Completed, Expect.Unchanged, Expect.Unchanged)]
    public void MoveBetweenTwoStatusesSetsStatusAndTimestampsByTheRules(
        IncidentStatus from, IncidentStatus to, Expect resolvedAt, Expect stableAt)
    {
        var before = In(from);

        var after = before.MoveTo(to, MoveAt);

        if (from == to)
        {
            Assert.Same(before, after);
        }
        else
        {
            Assert.NotSame(before, after);
        }

        Assert.Equal(to, after.Status);
        Assert.Equal(Expected(resolvedAt, before.ResolvedAt), after.ResolvedAt);
        Assert.Equal(Expected(stableAt, before.StableAt), after.StableAt);
        Assert.Equal(before.DeclaredAt, after.DeclaredAt);
    }

    [Theory]
    [InlineData(IncidentStatus.Active)]
    [InlineData(IncidentStatus.Stable)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Completed)]
    public void MoveToTheSameStatusIsANoOpReturningTheSameInstance(IncidentStatus status)
    {
        var before = In(status);

        var after = before.MoveTo(status, MoveAt);

        Assert.Same(before, after);
        Assert.Equal(status, after.Status);
        Assert.NotEqual(MoveAt, after.ResolvedAt);
        Assert.NotEqual(MoveAt, after.StableAt);
    }

    [Fact]
    public void StableAtIsSetByTheFirstMoveIntoStableAndKeptAfterReopenAndASecondMoveToStable()
    {
        var stable = Incident().MoveTo(IncidentStatus.Stable, At(1));
        var resolved = stable.MoveTo(IncidentStatus.Resolved, At(2));
        var reopened = resolved.MoveTo(IncidentStatus.Active, At(3));
        var stableAgain = reopened.MoveTo(IncidentStatus.Stable, At(4));

        Assert.Equal(At(1), stable.StableAt);
        Assert.Equal(At(1), resolved.StableAt);
        Assert.Equal(At(1), reopened.StableAt);
        Assert.Equal(IncidentStatus.Stable, stableAgain.Status);
        Assert.Equal(At(1), stableAgain.StableAt);
        Assert.Null(stableAgain.ResolvedAt);
    }

    [Fact]
    public void MoveFromActiveStraightToResolvedLeavesStableAtEmpty()
    {
        var resolved = Incident().MoveTo(IncidentStatus.Resolved, At(3));

        Assert.Null(resolved.StableAt);
    }

    [Fact]
    public void ReopenToStableClearsResolvedAtAndTheNextResolutionSetsItAnew()
    {
        var resolved = Incident().MoveTo(IncidentStatus.Resolved, At(1));
        var stable = resolved.MoveTo(IncidentStatus.Stable, At(2));
        var completed = stable.MoveTo(IncidentStatus.Completed, At(3));

        Assert.Null(stable.ResolvedAt);
        Assert.Null(stable.TimeToResolve);
        Assert.Equal(At(2), stable.StableAt);
        Assert.Equal(At(3), completed.ResolvedAt);
    }

    [Fact]
    public void MoveKeepsEveryOtherField()
    {
        var before = Incident() with { Description = "d", ChannelId = "C1" };

        var after = before.MoveTo(IncidentStatus.Resolved, At(1));

        Assert.Equal(before with { Status = IncidentStatus.Resolved, ResolvedAt = At(1) }, after);
    }

    private static DateTimeOffset? Expected(Expect expect, DateTimeOffset? before) => expect switch
    {
        Expect.Cleared => null,
        Expect.Now => MoveAt,
        _ => before,
    };
}
