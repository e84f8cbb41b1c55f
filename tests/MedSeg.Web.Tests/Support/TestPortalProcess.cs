using MedSeg.Testing;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Support;

/// <summary>
/// The built portal as a child process (<see cref="PortalProcess"/>) set up as this project's in-process portals are:
/// the Testing environment and a quick queue poll, on a database and data root in <c>root</c> that outlive the process
/// (a test kills it and starts another on the same folder).
/// </summary>
public static class TestPortalProcess
{
    /// <summary><paramref name="startTimeout"/>: the longest wait for each (re)start (default the harness's 90 s).</summary>
    public static PortalProcess Create(string root, IReadOnlyDictionary<string, string>? settings = null, bool urlsFromEnvironment = false,
        TimeSpan? startTimeout = null)
    {
        var all = new Dictionary<string, string> { ["Training:QueuePollInterval"] = "00:00:00.300" };
        foreach (var (key, value) in PortalFactory.TestSettings.Concat(settings ?? new Dictionary<string, string>())) all[key] = value;
        return new PortalProcess(new PortalProcessOptions
        {
            WorkDirectory = root, Environment = "Testing", Settings = all, UrlsFromEnvironment = urlsFromEnvironment,
            StartTimeout = startTimeout ?? new PortalProcessOptions().StartTimeout,
        });
    }

    /// <summary>A client of the process without redirects or a cookie jar; <paramref name="cookie"/> signs it in.</summary>
    public static HttpClient CreateClient(this PortalProcess portal, string? cookie = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        if (cookie is not null) client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Add(CrossSiteRequestGuard.HeaderName, "1"); // as the portal's own scripts send it
        return client;
    }
}
