using Bunit;
using MedSeg.Training.Fdsl;
using MedSeg.Web.Components.Runs;
using MedSeg.Web.Tests.Components;

namespace MedSeg.Web.Tests.Runs;

public sealed class RunConfigFormTests : PortalComponentTest
{
    private IRenderedComponent<RunConfigForm> RenderForm(RunConfigModel model, Action<RunConfigModel>? onSubmit = null)
    {
        EnsurePopoverProvider();
        return Render<RunConfigForm>(p => p.Add(c => c.Model, model).Add(c => c.OnSubmit, m => onSubmit?.Invoke(m)));
    }

    private static void Type(IRenderedComponent<RunConfigForm> form, string testId, string value) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]").Input(value);

    private static List<string> Errors(IRenderedComponent<RunConfigForm> form) =>
        form.FindAll("[data-testid=run-config-error]").Select(e => e.TextContent).ToList();

    [Fact]
    public void Defaults_AreThePapersRecipe()
    {
        var o = new RunConfigModel().ToOptions();

        Assert.Equal((96, 8, 1e-4, 1e-5, "dice", 5000), (o.Crop, o.BatchSize, o.LearningRate, o.WeightDecay, o.Loss, o.Samples));
        Assert.Null(o.MaxGradNorm); // the paper clips nothing
        Assert.Equal("unit", o.InputIntensity); // a choice, recorded with the run
        // A clone of a run from before the rule was recorded keeps feeding raw values.
        Assert.Equal("raw", RunConfigModel.From(new FdslOptions { OutputDir = "x", InputIntensity = null }).InputIntensity);
    }

    [Fact]
    public void Form_Hints_Say_What_Is_The_Papers_And_What_Is_A_Choice()
    {
        var form = RenderForm(new RunConfigModel { Name = "x" });

        Assert.Contains("Paper: none", form.Markup);
        Assert.Contains("10% of the steps (a choice", form.Markup);
        Assert.Contains("A choice (not in the paper)", form.Markup);
        Assert.StartsWith("paper-best: the paper's best", RunConfigModel.SpecPresetLabel("paper-best"));
        Assert.Contains("not the paper's", RunConfigModel.SpecPresetLabel("code-default"));
    }

    [Fact]
    public void Form_NoName_ShowsMessageAndDisablesStart()
    {
        var form = RenderForm(new RunConfigModel());

        Assert.Contains("Name is required.", Errors(form));
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Form_BadCropAndLearningRate_NameFieldAndValue()
    {
        var form = RenderForm(new RunConfigModel { Name = "x" });

        Type(form, "run-crop", "50");
        Type(form, "run-lr", "0");

        var errors = Errors(form);
        Assert.Contains("Crop must be a positive multiple of 32 for SwinUNETR, got 50.", errors);
        Assert.Contains("Learning rate must be > 0, got 0.", errors);
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Form_SwinFeatureSizeNotMultipleOf12_Explains()
    {
        var form = RenderForm(new RunConfigModel { Name = "x" });

        Type(form, "run-feature-size", "16");

        Assert.Contains(Errors(form), e => e.StartsWith("Feature size must be a multiple of 12 for SwinUNETR") && e.EndsWith("got 16."));
    }

    [Fact]
    public void Form_ValidClone_SubmitsEditedSettings()
    {
        RunConfigModel? submitted = null;
        var clone = RunConfigModel.From(new RunConfigModel { Crop = 64, Seed = 7 }.ToOptions());
        clone.Name = "clone of 3";
        clone.SpecVolumeSize = 64;
        var form = RenderForm(clone, m => submitted = m);
        Assert.Empty(Errors(form));

        Type(form, "run-batch", "2");
        form.Find("[data-testid=run-submit]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal((64, 7L, 2), (submitted!.Crop, submitted.Seed, submitted.BatchSize));
    }
}
