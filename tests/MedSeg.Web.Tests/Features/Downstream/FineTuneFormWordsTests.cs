using MedSeg.Training.FineTune;
using MedSeg.Web.Features.Downstream.Components;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>Issue 12, point 5: the fine-tune form showed "FineTuneOptions.PatchSize (--patch)" to users.</summary>
public sealed class FineTuneFormWordsTests
{
    [Theory]
    [InlineData("FineTuneOptions.Steps (--steps) must be positive, got '0'.", "Steps must be positive, got 0.")]
    [InlineData("FineTuneOptions.PatchSize (--patch) must be a multiple of 16 for BasicUNet, got '40'.", "Patch (voxels per edge) must be a multiple of 16 for BasicUNet, got 40.")]
    [InlineData("FineTuneOptions.Overlap must be in [0, 1), got '1'.", "Window overlap must be in [0, 1), got 1.")]
    [InlineData("FineTuneOptions.KeepLast must be positive, got '0'.", "FineTuneOptions.KeepLast must be positive, got '0'.")] // not on the form
    public void Problems_are_worded_with_the_forms_labels(string problem, string shown) =>
        Assert.Equal(shown, FineTuneFormModel.InFormWords(problem));

    [Fact]
    public void Validate_names_fields_by_their_labels()
    {
        var model = FineTuneFormModel.From(new FineTuneOptions(), DownstreamInit.Scratch, "downstream/x", patchSize: 32);
        model.Steps = 0;

        var problems = model.Validate("runs/1");

        Assert.Contains("Steps must be positive, got 0.", problems);
        Assert.DoesNotContain(problems, p => p.Contains("(--", StringComparison.Ordinal));
    }
}
