using System.Text.Json;
using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Training.Methods;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Pages;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// The runs list and the leaderboard show each run's method by its catalogue name, including a method a host registered
/// itself (here a stand-in for the Training tests' toy method: the portal reads names from the catalogue it is given).
/// </summary>
public sealed class MethodNamesTests : RunPageTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class ListedToyMethod : IPretrainingMethod
    {
        public string Name => "toy-unflip";
        public string DisplayName => "Toy un-flip (test)";
        public Type OptionsType => typeof(NoOptions);
        public IMethodOptions CreateDefaultOptions() => new NoOptions();
        public IMethodOptions ReadOptions(JsonElement json) => new NoOptions();
        public MethodRun Prepare(IMethodOptions options) => throw new NotSupportedException("Listed only.");
    }

    private sealed class NoOptions : IMethodOptions
    {
        public string OutputDir => "";
        public bool Resume => false;
        public IReadOnlyList<string> Problems() => [];
    }

    public MethodNamesTests() => Services.AddSingleton(MethodCatalog.WithBuiltIns().Register(new ListedToyMethod()));

    [Fact]
    public async Task Runs_List_And_Leaderboard_Show_The_Method()
    {
        var onTheFly = Run(1, "fly", TrainingRunStatus.Completed, best: 0.3);
        var onDataset = Run(2, "second", TrainingRunStatus.Completed, best: 0.5);
        var toy = Run(3, "toy", TrainingRunStatus.Completed, best: 0.7);
        toy.Method = "toy-unflip";
        var unknown = Run(4, "later", TrainingRunStatus.Queued);
        unknown.Method = "not-registered";
        await SeedAsync(pi: false, onTheFly, onDataset, toy, unknown);
        EnsurePopoverProvider();

        SetRendererInfo(Interactive);

        var list = Render<RunList>();
        list.WaitForAssertion(() => Assert.Equal(4, list.FindAll("[data-testid=run-row-method]").Count), Patience);
        var methods = list.FindAll("[data-testid=run-row-method]").Select(e => e.TextContent).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["FDSL (AVS-DB on the fly)", "FDSL (AVS-DB on the fly)", "Toy un-flip (test)", "not-registered"], methods);

        var board = Render<RunLeaderboard>();
        board.WaitForAssertion(() => Assert.Equal(3, board.FindAll("[data-testid=leaderboard-method]").Count), Patience);
        Assert.Equal("Toy un-flip (test)", board.Find("[data-testid=leaderboard-method]").TextContent); // best Dice first
    }

    [Fact]
    public void Fdsl_Rows_Name_Their_Data_Source()
    {
        var catalog = MethodCatalog.WithBuiltIns();
        Assert.Equal("FDSL (dataset folder)", RunMethodNames.Display(new TrainingRun { Method = TrainingMethods.Fdsl, DatasetId = 3 }, catalog));
        Assert.Equal("FDSL (AVS-DB on the fly)", RunMethodNames.Display(new TrainingRun { Method = TrainingMethods.Fdsl }, catalog));
        Assert.Equal(RunMethodNames.FineTuneDisplayName, RunMethodNames.Display(new TrainingRun { Method = TrainingMethods.FineTune }, catalog));
    }
}
