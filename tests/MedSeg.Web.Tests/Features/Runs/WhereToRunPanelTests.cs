using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// "Where to run" inside the run form: a time limit, GPU or CPU count over the site's limits (or a partition the site does
/// not offer) names the field, value and limit and disables Start at once; fixing it enables Start again.
/// </summary>
public sealed class WhereToRunPanelTests : PortalComponentTest
{
    private IRenderedComponent<RunConfigForm> RenderForm(RunDraft model)
    {
        Services.Configure<SlurmOptions>(o =>
        {
            o.Offered = true;
            o.Partitions = ["debug", "long"];
            o.MaxGpus = 2;
            o.MaxTimeLimit = TimeSpan.FromHours(2);
        });
        EnsurePopoverProvider();
        return Render<RunConfigForm>(p => p.Add(c => c.Model, model).Add(c => c.OnSubmit, _ => { }));
    }

    private static RunDraft ClusterDraft() => new() { Name = "x", Backend = RunBackends.Slurm };

    private static void Type(IRenderedComponent<RunConfigForm> form, string testId, string value) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]").Input(value);

    private static List<string> Errors(IRenderedComponent<RunConfigForm> form) =>
        form.FindAll("[data-testid=run-config-error]").Select(e => e.TextContent).ToList();

    private static bool StartDisabled(IRenderedComponent<RunConfigForm> form) => form.Find("[data-testid=run-submit]").HasAttribute("disabled");

    [Fact]
    public void Over_limit_time_limit_and_GPUs_disable_Start_naming_field_value_and_limit_until_fixed()
    {
        var form = RenderForm(ClusterDraft());
        Assert.Empty(Errors(form));
        Assert.False(StartDisabled(form));

        // The field's message reaches the form through an EventCallback, which re-renders it (an Action did not: Start stayed enabled).
        Type(form, "run-time-limit", "121");
        form.WaitForAssertion(() => Assert.Contains("Time limit (minutes) must be at most 120 (got 121).", Errors(form)));
        Assert.True(StartDisabled(form));

        Type(form, "run-gpus", "3");
        form.WaitForAssertion(() => Assert.Contains("GPUs must be at most 2 (got 3).", Errors(form)));
        Type(form, "run-time-limit", "30");
        form.WaitForAssertion(() => Assert.DoesNotContain(Errors(form), e => e.StartsWith("Time limit")));
        Assert.True(StartDisabled(form)); // the GPUs are still over

        Type(form, "run-gpus", "2");
        form.WaitForAssertion(() => Assert.Empty(Errors(form)));
        Assert.False(StartDisabled(form));
    }

    [Fact]
    public void A_partition_the_site_does_not_offer_disables_Start()
    {
        var draft = ClusterDraft();
        draft.ClusterPartition = "gpu"; // e.g. a clone of a run sent to a partition the site has since dropped
        var form = RenderForm(draft);

        Assert.Contains("Cluster partition: 'gpu' is not offered here; expected one of debug, long (Slurm:Partitions).", Errors(form));
        Assert.True(StartDisabled(form));
    }
}
