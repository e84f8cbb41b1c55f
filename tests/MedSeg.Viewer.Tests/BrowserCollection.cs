namespace MedSeg.Viewer.Tests;

/// <summary>All browser tests share one Chromium and one server, and run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "browser";
}
