using Bunit;
using MedSeg.Web.Components.Runs;
using MedSeg.Web.Tests.Components;

namespace MedSeg.Web.Tests.Runs;

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
        Assert.Equal(MedSeg.Web.Runs.TrainingConfig.Serialize(record), MedSeg.Web.Runs.TrainingConfig.Serialize(o)); // the record's defaults, no others
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

        var errors = Errors(form);
        Assert.Contains("FdslOptions.Crop (--crop) must be a multiple of 32 for SwinUNETR, got 50.", errors);
        Assert.Contains("FdslOptions.LearningRate (--lr) must be > 0 and ≤ 10, got 0.", errors);
        Assert.True(form.Find("[data-testid=run-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Form_SwinFeatureSizeNotMultipleOf12_Explains()
    {
        var form = RenderForm(new RunDraft { Name = "x" });

        Type(form, "run-feature-size", "16");

        Assert.Contains(Errors(form), e => e.StartsWith("FdslOptions.FeatureSize (--feature-size) must be a multiple of 12 for SwinUNETR") && e.EndsWith("got 16."));
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
}
