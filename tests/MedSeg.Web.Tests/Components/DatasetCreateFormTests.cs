using Bunit;
using MedSeg.Web.Components.Datasets;

namespace MedSeg.Web.Tests.Components;

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

        var errors = form.FindAll("[data-testid=spec-error]").Select(e => e.TextContent).ToList();
        Assert.Contains(errors, e => e.Contains("VolumeSize must be in 8..1024, got 4"));
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
        Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));
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
