using Bunit;
using MedSeg.Data.Entities;
using MudBlazor;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets.Components;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class DatasetStatusChipTests : PortalComponentTest
{
    [Theory]
    [InlineData(DatasetStatus.Running, "info")]
    [InlineData(DatasetStatus.Completed, "success")]
    [InlineData(DatasetStatus.Failed, "error")]
    [InlineData(DatasetStatus.Interrupted, "warning")]
    public void StatusChip_Status_ShowsNameAndColour(DatasetStatus status, string colour)
    {
        var chip = Render<DatasetStatusChip>(p => p.Add(c => c.Status, status));

        var root = chip.Find("[data-testid=status-chip]");
        Assert.Equal(status.ToString(), root.GetAttribute("data-status"));
        Assert.Contains(status.ToString(), root.TextContent);
        Assert.Contains($"mud-chip-color-{colour}", root.ClassName);
    }

    [Fact]
    public void ColorFor_EveryStatus_HasADistinctColour()
    {
        var colours = Enum.GetValues<DatasetStatus>().Select(DatasetStatusChip.ColorFor).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.DoesNotContain(Color.Primary, colours);
    }
}
