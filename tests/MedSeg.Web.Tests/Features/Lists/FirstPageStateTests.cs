using MedSeg.Data.Entities;
using MedSeg.Web.Features.Lists;

namespace MedSeg.Web.Tests.Features.Lists;

/// <summary>The prerender's first page as the circuit's start message carries it: compact, bounded, and nothing else.</summary>
public sealed class FirstPageStateTests
{
    private static TrainingRun Row(int id, string name, string? tags = null) => new()
    {
        Id = id, Name = name, Tags = tags, Status = TrainingRunStatus.Running, CurrentStep = 7, TotalSteps = 100, BestValDice = 0.5,
        CreatedAt = new DateTime(2026, 12, 3, 8, 0, 0, DateTimeKind.Utc), Owner = FirstPageState.Owner(new ApplicationUser { Email = "pi@lab.test" }),
    };

    [Fact]
    public void Pack_Unpack_KeepsWhatTheGridShows_AndNoAccountSecrets()
    {
        var page = new ListPage<TrainingRun>([Row(12, "ünet-α"), Row(11, "b", "x,y")], Total: 12, Page: 1, Size: 10);
        var json = FirstPageState.Pack(page);
        Assert.NotNull(json);
        Assert.DoesNotContain("securityStamp", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("concurrencyStamp", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("finishedAt", json, StringComparison.Ordinal); // defaults are left out

        var back = FirstPageState.Unpack<TrainingRun>(json)!;
        Assert.Equal(12, back.Total);
        Assert.Equal([12, 11], back.Items.Select(r => r.Id));
        Assert.Equal(["ünet-α", "b"], back.Items.Select(r => r.Name));
        Assert.Equal("x,y", back.Items[1].Tags);
        Assert.Equal(TrainingRunStatus.Running, back.Items[0].Status);
        Assert.Equal("pi@lab.test", back.Items[0].Owner!.Email);
        Assert.Equal(page.Items[0].CreatedAt, back.Items[0].CreatedAt);
    }

    [Fact]
    public void Pack_TheLongestRowsTheDatabaseTakes_FitTheCircuitsStartMessage_ALargerPageIsNotHandedOver()
    {
        // SignalR caps the start message at 32 KB; the packed page travels in it encrypted and in base64 (×4/3 and more).
        var longest = Enumerable.Range(1, 10).Select(i => Row(i, new string('n', NameRule.MaxLength), new string('t', 400))).ToList();
        Assert.InRange(FirstPageState.Pack(new ListPage<TrainingRun>(longest, 10, 1, 10))!.Length, 1, FirstPageState.MaxChars);
        var more = Enumerable.Range(1, 20).Select(i => Row(i, new string('n', NameRule.MaxLength), new string('t', 400))).ToList();
        Assert.Null(FirstPageState.Pack(new ListPage<TrainingRun>(more, 20, 1, 20)));
    }

    [Fact]
    public async Task ReadOrTake_PrerenderReadsAndPacks_InteractiveTakesWhatWasHandedWithoutReading()
    {
        var reads = 0;
        Task<ListPage<TrainingRun>> Read()
        {
            reads++;
            return Task.FromResult(new ListPage<TrainingRun>([Row(5, "e"), Row(4, "d")], Total: 5, Page: 1, Size: 10));
        }

        var (shown, packed) = await FirstPageState.ReadOrTakeAsync(interactive: false, handed: null, Read);
        Assert.Equal([5, 4], shown!.Items.Select(r => r.Id));
        Assert.Equal(1, reads);

        var (taken, kept) = await FirstPageState.ReadOrTakeAsync(interactive: true, packed, Read);
        Assert.Equal([5, 4], taken!.Items.Select(r => r.Id));
        Assert.Equal(packed, kept);
        Assert.Equal(1, reads); // the interactive render reads nothing

        var (none, _) = await FirstPageState.ReadOrTakeAsync(interactive: true, handed: null, Read);
        Assert.Null(none); // nothing handed (e.g. too large): the real grid shows at once
        Assert.Equal(1, reads);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"items\": 3}")]
    public void Unpack_WhatPackDidNotWrite_IsNone(string? json) => Assert.Null(FirstPageState.Unpack<TrainingRun>(json));

    [Fact]
    public void Unpack_TooLong_IsNone() =>
        Assert.Null(FirstPageState.Unpack<TrainingRun>("{\"items\":[],\"total\":0,\"page\":1,\"size\":10,\"x\":\"" + new string('a', FirstPageState.MaxChars) + "\"}"));
}
