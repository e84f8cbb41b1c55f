using Bunit;
using MedSeg.Training.Methods;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Components.Methods;
using MedSeg.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>The run form of the catalogue methods: one fields component per method, its numbers bounded, the service's own check.</summary>
public sealed class MethodRunFormTests : PortalComponentTest
{
    public MethodRunFormTests() => Services.AddSingleton(MethodCatalog.WithBuiltIns());

    private IRenderedComponent<MethodRunForm> RenderForm(MethodDraft draft, Action<MethodDraft>? submitted = null)
    {
        EnsurePopoverProvider();
        return Render<MethodRunForm>(p => p.Add(c => c.Draft, draft).Add(c => c.OnSubmit, d => submitted?.Invoke(d))
            .Add(c => c.Sources, [("downstream/phantom", "downstream dataset phantom")]));
    }

    private static void Type(IRenderedComponent<MethodRunForm> form, string testId, string value) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]").Input(value);

    private static List<string> Errors(IRenderedComponent<MethodRunForm> form) =>
        form.FindAll("[data-testid=run-config-error]").Select(e => e.TextContent).ToList();

    [Theory]
    [InlineData("volf", "opt-volf-classes")]
    [InlineData("lwi", "opt-maskRatio")]
    [InlineData("swin-ssl", "opt-temperature")]
    [InlineData("context", "opt-task")]
    [InlineData("doersch", "opt-centreRange")]
    public void Each_method_brings_its_fields_and_its_record_defaults_pass_the_services_check(string method, string field)
    {
        var draft = new MethodDraft(MethodCatalog.Default.Get(method)) { Name = "n", Source = "downstream/phantom" };
        var form = RenderForm(draft);
        Assert.NotEmpty(form.FindAll($"[data-testid={field}]"));
        Assert.NotEmpty(form.FindAll("[data-testid=opt-steps]"));
        Assert.Empty(Errors(form));
        var request = draft.ToRequest();
        Assert.Equal((method, "downstream/phantom", null), (request.Method, request.Downstream, request.DatasetId));
        Assert.Empty(MethodRunConfig.Parse(MethodCatalog.Default, method, request.ConfigJson, "/data/x", request.Downstream, Limits).Errors);
    }

    [Fact]
    public void Volf_fields_edit_the_record_show_the_alpha_legend_and_name_bad_values_with_their_limit()
    {
        var draft = new MethodDraft(MethodCatalog.Default.Get("volf")) { Name = "v", Source = "downstream/phantom" };
        var form = RenderForm(draft);
        Assert.Contains("4: α = 1", form.Find("[data-testid=volf-alpha-legend]").TextContent);
        Assert.Contains("1: α = 0.25", form.Find("[data-testid=volf-alpha-legend]").TextContent);

        Type(form, "opt-volf-classes", "3");
        form.WaitForAssertion(() => Assert.Equal(3, draft.Get("volf.classes", 0)), TimeSpan.FromSeconds(10));
        form.WaitForAssertion(() => Assert.Contains("2: α = 1", form.Find("[data-testid=volf-alpha-legend]").TextContent), TimeSpan.FromSeconds(10));

        Type(form, "opt-volf-size-2", "300"); // above Limits:MaxCrop (256): the field says so and Start waits
        form.WaitForAssertion(() => Assert.Contains(Errors(form), e => e.Contains("Sub-volume W must be at most 256 (got 300)")), TimeSpan.FromSeconds(10));
        form.WaitForAssertion(() => Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        Type(form, "opt-volf-size-2", "64");
        Type(form, "opt-volf-boxSizeMax-2", "4"); // the record's own rule: max below min
        form.WaitForAssertion(() => Assert.Contains(Errors(form), e => e.Contains("Config: volf.boxSizeMax[2] must be >= boxSizeMin[2] (8), got 4")), TimeSpan.FromSeconds(10));
        Type(form, "opt-volf-boxSizeMax-2", "40");
        form.WaitForAssertion(() => Assert.Empty(Errors(form)), TimeSpan.FromSeconds(10));

        MethodDraft? submitted = null;
        form = RenderForm(draft, d => submitted = d);
        form.Find("[data-testid=run-submit]").Click();
        Assert.Same(draft, submitted);
        Assert.Contains("\"size\":[64,128,64]", draft.ToRequest().ConfigJson);
    }

    private sealed class SmallMachine(long bytes) : MedSeg.Web.Infrastructure.MachineMemory
    {
        public override long? AvailableBytes() => bytes;
    }

    [Fact]
    public void A_volf_run_shows_its_memory_estimate_and_asks_first_when_the_machine_has_less_available()
    {
        Services.AddSingleton<MedSeg.Web.Infrastructure.MachineMemory>(new SmallMachine(4L << 30)); // 4 GiB available now
        var draft = new MethodDraft(MethodCatalog.Default.Get("volf")) { Name = "v", Source = "downstream/phantom" };
        var form = RenderForm(draft);
        // The paper's preset (released PCT-Net, 64×128×128, batch 2): about 22 GiB, above 4 GiB and below the test limit (1 TiB).
        var memory = form.Find("[data-testid=method-run-memory]");
        Assert.Contains("Memory per step: about", memory.TextContent);
        Assert.Contains("available now 4.0 GiB", memory.TextContent);
        Assert.Equal("true", memory.GetAttribute("data-needs-confirmation"));

        foreach (var (axis, value) in new[] { (0, "8"), (1, "16"), (2, "16") }) Type(form, $"opt-volf-size-{axis}", value);
        Type(form, "opt-batchSize", "1"); // the released weights and Adam state (1.1 GiB) plus a few MB of activations
        // The fields' changes can be applied on the renderer's queue after Input returns: wait under load.
        form.WaitForAssertion(() => Assert.Equal("false", form.Find("[data-testid=method-run-memory]").GetAttribute("data-needs-confirmation")),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_clone_starts_from_the_stored_options_and_data()
    {
        var method = MethodCatalog.Default.Get("context");
        var (entry, errors) = MethodRunConfig.Parse(MethodCatalog.Default, "context", """{"task":"Reg2d","steps":7,"source":"/etc"}""", "/data/x", "downstream/p", Limits);
        Assert.Empty(errors);
        var run = new Data.Entities.TrainingRun { Name = "ctx", Method = "context", ConfigJson = entry!.ConfigJson, Tags = "a, b" };
        var draft = MethodDraft.FromRun(method, run);
        Assert.Equal(("ctx (clone)", "a, b", "downstream/p", "Reg2d", 7), (draft.Name, draft.Tags, draft.Source, draft.Get("task", ""), draft.Get("steps", 0)));
        Assert.Equal(entry.ConfigJson, draft.Config.ToJsonString());
    }
}
