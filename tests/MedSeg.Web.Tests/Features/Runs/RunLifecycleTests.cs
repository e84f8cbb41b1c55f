using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Every status pair: the allowed changes (written out here independently of the code) and every refused one.</summary>
public sealed class RunLifecycleTests
{
    private const TrainingRunStatus Q = TrainingRunStatus.Queued, R = TrainingRunStatus.Running, P = TrainingRunStatus.Paused,
        D = TrainingRunStatus.Completed, F = TrainingRunStatus.Failed, C = TrainingRunStatus.Cancelled, I = TrainingRunStatus.Interrupted;

    private static readonly HashSet<(TrainingRunStatus, TrainingRunStatus)> Allowed =
    [
        (Q, R), (Q, P), (Q, C),
        (R, D), (R, F), (R, P), (R, C), (R, Q), (R, I),
        (P, Q), (P, C),
        (I, Q), (I, C),
        (F, Q),
        (C, Q),
    ];

    public static TheoryData<TrainingRunStatus, TrainingRunStatus> EveryPair()
    {
        var data = new TheoryData<TrainingRunStatus, TrainingRunStatus>();
        foreach (var from in Enum.GetValues<TrainingRunStatus>())
            foreach (var to in Enum.GetValues<TrainingRunStatus>()) data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Transition_Is_Allowed_Exactly_When_The_Table_Says_So(TrainingRunStatus from, TrainingRunStatus to)
    {
        Assert.Equal(Allowed.Contains((from, to)), RunLifecycle.IsAllowed(from, to));
        Assert.Equal(Allowed.Contains((from, to)), RunLifecycle.Sources(to).Contains(from));
    }

    [Fact]
    public void Every_Status_Is_In_The_Table_And_Only_Completed_Is_Final()
    {
        var statuses = Enum.GetValues<TrainingRunStatus>();
        Assert.Equal(49, statuses.Length * statuses.Length);
        Assert.Equal([D], statuses.Where(s => !statuses.Any(t => RunLifecycle.IsAllowed(s, t))));
        Assert.Equal([Q, P, I], RunLifecycle.Sources(C, except: R));
        Assert.Equal([Q], RunLifecycle.Sources(P, except: R));
    }
}
