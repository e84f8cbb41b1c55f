using MedSeg.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(RepositoryRoot.CreateWebApplicationOptions(args));
builder.AddApplicationServices();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseApplicationPipeline();
app.MapApplicationEndpoints();

app.Run();

/// <summary>Entry point; public so WebApplicationFactory&lt;Program&gt; can host the app in tests.</summary>
public partial class Program;
