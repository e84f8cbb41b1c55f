using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Downstream.Components;

namespace MedSeg.Web.Tests.Features.Downstream;

/// <summary>The import dialog suggests a dataset name from the chosen file; the suggestion is always a valid name.</summary>
public sealed class ImportDatasetNameTests
{
    [Theory]
    [InlineData("Task09_Spleen.tar", "Task09_Spleen")]
    [InlineData("Task06_Lung.tar.gz", "Task06_Lung")]
    [InlineData("Dataset104_Organs v2.tgz", "Dataset104_Organs_v2")]
    [InlineData("my.data.zip", "my.data")]
    public void SuggestedName_DropsTheArchiveExtension_AndIsAcceptable(string file, string expected)
    {
        var name = ImportDatasetDialog.SuggestedName(file);
        Assert.Equal(expected, name);
        Assert.Empty(new DownstreamImportRequest(name, file).Problems());
    }
}
