namespace MedSeg.Web.Tests.Support;

/// <summary>
/// A second portal instance on the SAME SQLite database and data root as <paramref name="primary"/>, with its own
/// services (queue, live buffer and feed, training run service) and its training service switched off: "another process".
/// </summary>
public sealed class SharedDatabasePortalFactory(PortalFactory primary) : PortalFactory
{
    public override string DataRoot => primary.DataRoot;
    public override string DatabaseFile => primary.DatabaseFile;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Training:Enabled", "false");
    }
}
