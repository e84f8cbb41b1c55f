using Bunit;
using MedSeg.Web.Features.Datasets.Components;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class DatasetCreateFormTests : PortalComponentTest
{
    private IRenderedComponent<DatasetCreateForm> RenderForm(Action<DatasetCreateRequest>? onSubmit = null, bool preview = false)
    {
        EnsurePopoverProvider();
        return Render<DatasetCreateForm>(p => p
            .Add(c => c.OnSubmit, r => onSubmit?.Invoke(r))
            .Add(c => c.ShowPreview, preview)
            .Add(c => c.TakenNames, new HashSet<string> { "taken" }));
    }

    private static void Type(IRenderedComponent<DatasetCreateForm> form, string testId, string value) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]").Input(value);

    [Fact]
    public void CreateForm_VolumeSizeTooSmall_ShowsSpecErrorAndDisablesSubmit()
    {
        var form = RenderForm();
        Type(form, "create-name", "ok");

        Type(form, "create-size", "4");

        // The field's own message in the user's words (label, value, range), not the spec's internal name.
        form.WaitForAssertion(() => Assert.Contains("Volume size (voxels per edge) must be at least 8 (got 4).", System.Net.WebUtility.HtmlDecode(form.Markup)));
        Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));
    }

    private static string FieldText(IRenderedComponent<DatasetCreateForm> form, string testId) =>
        form.Find($"[data-testid={testId}] input, input[data-testid={testId}]").GetAttribute("value") ?? "";

    [Fact]
    public void CreateForm_ClearedVolumes_StaysEmptyBlocksSubmitAndThenTakesWhatIsTyped()
    {
        // Issue 12: clearing "Volumes" snapped to 1 and typing 16 then gave 116.
        DatasetCreateRequest? submitted = null;
        var form = RenderForm(r => submitted = r);
        Type(form, "create-name", "set");

        Type(form, "create-count", "");
        form.WaitForAssertion(() => Assert.Equal("", FieldText(form, "create-count")));
        form.WaitForAssertion(() => Assert.Contains("Volumes is required: enter a whole number from 1 to 10,000.", form.Markup));
        Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));

        Type(form, "create-count", "16");
        form.WaitForAssertion(() => Assert.Equal("16", FieldText(form, "create-count")));
        form.WaitForAssertion(() => Assert.DoesNotContain("Volumes is required", form.Markup));
        form.Find("[data-testid=create-submit]").Click();
        form.WaitForAssertion(() => Assert.Equal(16, submitted?.Count));
    }

    [Theory]
    [InlineData("create-count", "99999999", "Volumes must be at most 10,000 (got 99,999,999).")]
    [InlineData("create-count", "abc", "Volumes: 'abc' is not a whole number; allowed: 1 to 10,000.")]
    [InlineData("create-count", "0", "Volumes must be at least 1 (got 0).")]
    [InlineData("create-count", "99999999999999999999", "Volumes: 99999999999999999999 is too large; enter a whole number from 1 to 10,000.")]
    [InlineData("create-seed", "-1", "Seed must be at least 0 (got -1).")]
    [InlineData("create-size", "2000", "Volume size (voxels per edge) must be at most 1,024 (got 2,000).")]
    [InlineData("create-shapes", "2.5", "Shapes per volume: '2.5' is not a whole number; allowed: 1 to 10,000.")]
    public void CreateForm_OutOfRangeOrNotANumber_KeepsTheTextSaysWhyAndBlocksSubmit(string field, string typed, string message)
    {
        // Issue 12: 99999999 became 10000, "abc" became 1 and seed -1 became 0, all without a message.
        var form = RenderForm();
        Type(form, "create-name", "set");

        Type(form, field, typed);

        // The field keeps exactly what was typed (its render follows the input event asynchronously).
        form.WaitForAssertion(() => Assert.Equal(typed, FieldText(form, field)));
        form.WaitForAssertion(() => Assert.Contains(message, System.Net.WebUtility.HtmlDecode(form.Markup)));
        Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void CreateForm_BadVertexCount_NamesTheFieldAndValue()
    {
        var form = RenderForm();

        Type(form, "create-vertex-counts", "0, 3, x");

        var errors = form.FindAll("[data-testid=spec-error]").Select(e => e.TextContent).ToList();
        Assert.Contains("Xy.VertexCounts: 'x' is not a whole number", errors);
    }

    [Fact]
    public void CreateForm_TakenName_DisablesSubmit()
    {
        var form = RenderForm();

        Type(form, "create-name", "taken");

        Assert.Empty(form.FindAll("[data-testid=spec-error]"));
        form.WaitForAssertion(() => Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CreateForm_ValidInput_SubmitsTheEditedSpec()
    {
        DatasetCreateRequest? submitted = null;
        var form = RenderForm(r => submitted = r);
        Type(form, "create-name", "  my set ");
        Type(form, "create-count", "12");
        Type(form, "create-seed", "99");
        Type(form, "create-size", "48");
        Type(form, "create-shapes", "7");

        form.Find("[data-testid=create-submit] ").Click();

        form.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal(("my set", 12, 99L), (submitted!.Name, submitted.Count, submitted.Seed));
        Assert.Equal(48, submitted.Spec.VolumeSize);
        Assert.Equal(7, submitted.Spec.ShapesPerVolume);
        Assert.Empty(submitted.Spec.Validate());
    }

    [Fact]
    public void CreateForm_Preview_RendersThreeMidSlicePngs()
    {
        var form = RenderForm(preview: true);

        form.WaitForAssertion(() => Assert.Equal(3, form.FindAll("[data-testid=preview] img").Count), TimeSpan.FromSeconds(30));
        foreach (var id in new[] { "preview-axial", "preview-coronal", "preview-sagittal" })
            Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", form.Find($"[data-testid={id}]").GetAttribute("src"));
    }
}
