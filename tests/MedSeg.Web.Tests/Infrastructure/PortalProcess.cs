using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MedSeg.Web.Extensions;

namespace MedSeg.Web.Tests.Infrastructure;

/// <summary>
/// The built portal (<c>dotnet MedSeg.Web.dll</c>) as a child process on a free local port, with its database and data
/// root in <paramref name="root"/> (environment variables), so a test can kill it for real and start it again.
/// <paramref name="settings"/> are further configuration values (e.g. <c>Training:WorkerName</c>).
/// </summary>
public sealed class PortalProcess(string root, IReadOnlyDictionary<string, string>? settings = null) : IDisposable
{
    private Process? process;
    private readonly StringBuilder output = new();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Pass the address as <c>ASPNETCORE_URLS</c> instead of <c>--urls</c> (how containers and services set it).</summary>
    public bool UrlsFromEnvironment { get; init; }

    /// <summary>Everything the process wrote, for failure messages.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var dll = Path.Combine(AppContext.BaseDirectory, "MedSeg.Web.dll");
        var info = new ProcessStartInfo("dotnet", UrlsFromEnvironment ? ["exec", dll] : ["exec", dll, "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        info.Environment[RepositoryRoot.OverrideVariable] = RepositoryRoot.Find();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        if (UrlsFromEnvironment) info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["Database__Provider"] = "SQLite";
        info.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(root, "portal.db")}";
        info.Environment["Storage__DataRoot"] = Path.Combine(root, "data");
        info.Environment["Training__QueuePollInterval"] = "00:00:00.300";
        foreach (var (key, value) in PortalFactory.TestSettings.Concat(settings ?? new Dictionary<string, string>()))
            info.Environment[key.Replace(":", "__")] = value;
        process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {dll}.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await probe.GetAsync("Account/Login")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The portal did not answer on {BaseAddress}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or power loss.</summary>
    public void Kill()
    {
        if (process is null) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    public HttpClient CreateClient(string? cookie = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (cookie is not null) client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Add(MedSeg.Web.Security.CrossSiteRequestGuard.HeaderName, "1"); // as the portal's own scripts send it
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Kill();
}
