using Bunit;
using MedSeg.Training.Fdsl;
using MedSeg.Web.Features.Runs.Components;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class RunConfigFormTests : PortalComponentTest
{
    private IRenderedComponent<RunConfigForm> RenderForm(RunDraft model, Action<RunDraft>? onSubmit = null)
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
        var o = new RunDraft().ToOptions();
        var record = new MedSeg.Training.Fdsl.FdslOptions();

        Assert.Equal((96, 8, 1e-4, 1e-5, "dice", 5000), (o.Crop, o.BatchSize, o.LearningRate, o.WeightDecay, o.Loss, o.Samples));
        Assert.Equal(TrainingConfig.Serialize(record), TrainingConfig.Serialize(o)); // the record's defaults, no others
        Assert.Null(o.MaxGradNorm); // the paper clips nothing
        Assert.Null(o.InputIntensity); // a new run: "unit" (the default choice), stored explicitly when queued
        Assert.Equal("unit", MedSeg.Training.Fdsl.InputIntensity.Default);
        // A clone of a run from before the rule was recorded keeps feeding raw values.
        Assert.Equal("raw", RunDraft.From(new MedSeg.Training.Fdsl.FdslOptions { OutputDir = "x", InputIntensity = null }).Options.InputIntensity);
    }

    [Fact]
    public void Form_Hints_Say_What_Is_The_Papers_And_What_Is_A_Choice()
    {
        var form = RenderForm(new RunDraft { Name = "x" });

        Assert.Contains("Paper: none", form.Markup);
        Assert.Contains("10% of the steps (a choice", form.Markup);
        Assert.Contains("A choice (not in the paper)", form.Markup);
        Assert.StartsWith("paper-best: the paper's best", RunDraft.SpecPresetLabel("paper-best"));
        Assert.Contains("not the paper's", RunDraft.SpecPresetLabel("code-default"));
    }

    [Fact]
    public void Form_NoName_ShowsMessageAndDisablesStart()
    {
        var form = RenderForm(new RunDraft());

        Assert.Contains("Name is required.", Errors(form));
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Form_BadCropAndLearningRate_NameFieldAndValue()
    {
        var form = RenderForm(new RunDraft { Name = "x" });

        Type(form, "run-crop", "50");
        Type(form, "run-lr", "0");

        // The error list can re-render after Input returns (the field's value change is applied on the renderer's queue): wait under load.
        form.WaitForAssertion(() =>
        {
            var errors = Errors(form);
            Assert.Contains("FdslOptions.Crop (--crop) must be a multiple of 32 for SwinUNETR, got 50.", errors);
            Assert.Contains("FdslOptions.LearningRate (--lr) must be > 0 and ≤ 10, got 0.", errors);
        }, TimeSpan.FromSeconds(10));
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Form_SwinFeatureSizeNotMultipleOf12_Explains()
    {
        var form = RenderForm(new RunDraft { Name = "x" });

        Type(form, "run-feature-size", "16");

        // As above: the error list may re-render after Input returns.
        form.WaitForAssertion(() => Assert.Contains(Errors(form), e => e.StartsWith("FdslOptions.FeatureSize (--feature-size) must be a multiple of 12 for SwinUNETR") && e.EndsWith("got 16.")),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Form_ValidClone_SubmitsEditedSettings()
    {
        RunDraft? submitted = null;
        var clone = RunDraft.From(new MedSeg.Training.Fdsl.FdslOptions { Crop = 64, Seed = 7 });
        clone.Name = "clone of 3";
        clone.SpecVolumeSize = 64;
        var form = RenderForm(clone, m => submitted = m);
        Assert.Empty(Errors(form));

        Type(form, "run-batch", "2");
        form.Find("[data-testid=run-submit]").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal((64, 7L, 2), (submitted!.Options.Crop, submitted.Options.Seed, submitted.Options.BatchSize));
    }

    [Fact]
    public void Form_BasicUNet_ShowsNoSwinFeatureSizeHint()
    {
        // Issue 12, point 5: BasicUNet showed "Feature size — Paper: 48 (SwinUNETR)", a setting it does not have.
        var form = RenderForm(new RunDraft { Options = { Model = "BasicUNet" } });

        Assert.Empty(form.FindAll("[data-testid=run-feature-size]"));
        Assert.DoesNotContain("Paper: 48 (SwinUNETR)", form.Markup);
        Assert.Contains("features argument", form.Find("[data-testid=run-feature-size-note]").TextContent);

        var swin = RenderForm(new RunDraft { Options = { Model = "SwinUNETR" } });
        Assert.Contains("Paper: 48 (SwinUNETR)", swin.Markup);
    }

    [Fact]
    public void Form_MoreValidationSamplesThanTheDatasetHas_SaysSoAndBlocksStart()
    {
        // Issue 12, point 5: "Validation samples = 500" on a 16-volume dataset silently disabled validation.
        EnsurePopoverProvider();
        var model = new RunDraft { Name = "r", Method = RunMethod.FdslDataset, DatasetId = 3, Options = { ValidationEvery = 100, ValidationSamples = 500 } };
        var form = Render<RunConfigForm>(p => p.Add(c => c.Model, model).Add(c => c.OnSubmit, _ => { })
            .Add(c => c.Datasets, new[] { new DatasetChoice(3, "avs-16", 16) }));

        Assert.Contains(Errors(form), e => e.StartsWith("Validation samples (500) must be fewer than the 16 volumes of dataset 'avs-16'", StringComparison.Ordinal));
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));

        Type(form, "run-val-samples", "4");
        form.WaitForAssertion(() => Assert.DoesNotContain(Errors(form), e => e.StartsWith("Validation samples", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
    }

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<RunConfigForm> form, string testId) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]");

    private static string FieldText(IRenderedComponent<RunConfigForm> form, string testId) => Field(form, testId).GetAttribute("value") ?? "";

    [Fact]
    public void NumberFields_NeverChangeWhatWasTyped_SayLabelValueAndRange_AndBlockStart()
    {
        var draft = new RunDraft { Name = "x" };
        draft.UseSteps = true;
        var form = RenderForm(draft);

        Type(form, "run-batch", "");
        Type(form, "run-steps", "99999999");
        Type(form, "run-crop", "abc");
        Type(form, "run-seed", "-1");

        // MudBlazor applies an immediate field's text on the renderer's turn: under load it may land a moment later.
        form.WaitForAssertion(() =>
        {
            var errors = Errors(form);
            Assert.Contains("Batch size is required: enter a whole number from 1 to 64.", errors);
            Assert.Contains("Steps must be at most 1,000,000 (got 99,999,999).", errors); // the server's Limits:MaxSteps
            Assert.Contains("Crop (voxels per edge): 'abc' is not a whole number; allowed: 1 to 256.", errors);
            Assert.Contains("Seed must be at least 0 (got -1).", errors);
            Assert.Equal(("", "99999999", "abc", "-1"), (FieldText(form, "run-batch"), FieldText(form, "run-steps"), FieldText(form, "run-crop"), FieldText(form, "run-seed")));
            Assert.Equal((8, 96, 0L), (draft.Options.BatchSize, draft.Options.Crop, draft.Options.Seed)); // last valid values, not clamped
            Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
        }, TimeSpan.FromSeconds(10));

        Type(form, "run-batch", "16");
        Type(form, "run-steps", "16");
        Type(form, "run-crop", "64");
        Type(form, "run-seed", "3");
        // MudBlazor applies an immediate field's text on the renderer's turn: under load the last fields may land a moment later.
        form.WaitForAssertion(() =>
        {
            Assert.Equal((16, 16, 64, 3L), (draft.Options.BatchSize, draft.Options.Steps, draft.Options.Crop, draft.Options.Seed)); // "16" is 16, not 116
            Assert.Empty(Errors(form));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void StepsEpochsSwitch_KeepsBothFieldsVisible_TheUnusedOneDisabled()
    {
        var draft = new RunDraft { Name = "x" };
        var form = RenderForm(draft);

        Assert.False(draft.UseSteps);
        Assert.True(Field(form, "run-steps").HasAttribute("disabled"));
        Assert.False(Field(form, "run-epochs").HasAttribute("disabled"));
        Assert.Contains("Not used: training for epochs", form.Markup);

        draft.UseSteps = true;
        form.Render();

        Assert.False(Field(form, "run-steps").HasAttribute("disabled"));
        Assert.True(Field(form, "run-epochs").HasAttribute("disabled"));
        Assert.Contains("Not used: training for steps", form.Markup);
    }
}
