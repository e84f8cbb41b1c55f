using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace MedSeg.Testing;

/// <summary>
/// The real portal as a separate OS process: <c>dotnet MedSeg.Web.dll --urls http://127.0.0.1:PORT</c> with its own
/// temporary SQLite file, data root and HOME (data-protection keys, so sign-in cookies survive a restart).
/// The repository root stays the content root (appsettings.json, wwwroot). <see cref="Kill"/> is a hard kill of the
/// whole process tree (no graceful shutdown, as a crash or power cut); <see cref="RestartAsync"/> starts it again on
/// the same database, data root and port. The one portal-process harness of the test projects (process tests in
/// MedSeg.Web.Tests, browser journeys in MedSeg.Web.E2E, MedSeg.Web.Bench).
/// </summary>
public sealed class PortalProcess : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly PortalProcessOptions _options;
    private Process? _process;

    public string BaseUrl { get; }
    public int Port { get; }
    /// <summary>Temporary folder holding <see cref="DatabaseFile"/>, <see cref="DataRoot"/> and the process's HOME.</summary>
    public string WorkDirectory { get; }
    public string DatabaseFile { get; }
    public string DataRoot { get; }
    /// <summary>Time from process start to the first 200 of the login page, for the latest start.</summary>
    public TimeSpan LastStartupTime { get; private set; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the process(es) wrote to stdout and stderr so far, prefixed by start number and stream.</summary>
    public string Output => string.Join("\n", _output);

    private int _starts;
    private readonly bool _ownsWorkDirectory;

    /// <summary>The address with a trailing slash, as <see cref="HttpClient.BaseAddress"/> wants it.</summary>
    public Uri BaseAddress => new(BaseUrl + "/");

    /// <summary>A portal not started yet (<see cref="StartAsync()"/>); <see cref="PortalProcessOptions.WorkDirectory"/> or a fresh temporary folder.</summary>
    public PortalProcess(PortalProcessOptions? options = null)
    {
        _options = options ?? new PortalProcessOptions();
        _ownsWorkDirectory = _options.WorkDirectory is null;
        WorkDirectory = _options.WorkDirectory ?? Directory.CreateTempSubdirectory("medseg-portal-").FullName;
        DatabaseFile = Path.Combine(WorkDirectory, "portal.db");
        DataRoot = Path.Combine(WorkDirectory, "data");
        Directory.CreateDirectory(Path.Combine(WorkDirectory, "home"));
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        // A test run that ends without disposing (aborted, crashed fixture) must not leave a portal behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { _process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } };
    }

    /// <summary>Starts the portal and waits until its login page answers.</summary>
    public static async Task<PortalProcess> StartAsync(PortalProcessOptions? options = null)
    {
        var portal = new PortalProcess(options);
        try
        {
            await portal.StartAsync();
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
        return portal;
    }

    /// <summary>Starts the process (again after <see cref="Kill"/>) and waits until its login page answers.</summary>
    public Task StartAsync() => StartProcessAsync();

    /// <summary>The built portal, same configuration as this test assembly (set by the test project file).</summary>
    public static string PortalDll
    {
        get
        {
            var path = typeof(PortalProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "PortalDll").Value!;
            if (!File.Exists(path))
                throw new FileNotFoundException($"Portal not built: {path} (build src/MedSeg.Web in the tests' configuration)", path);
            return path;
        }
    }

    private async Task StartProcessAsync()
    {
        var start = ++_starts;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(PortalDll);
        var env = info.Environment;
        if (_options.UrlsFromEnvironment) env["ASPNETCORE_URLS"] = BaseUrl;
        else
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add(BaseUrl);
        }
        env["MEDSEG_ROOT"] = RepositoryRoot.Path;
        env["HOME"] = Path.Combine(WorkDirectory, "home");
        env["ASPNETCORE_ENVIRONMENT"] = _options.Environment;
        env["Database__Provider"] = "SQLite";
        env["Database__ConnectionString"] = $"Data Source={DatabaseFile}";
        env["Storage__DataRoot"] = DataRoot;
        env["Generation__QueuePollInterval"] = "00:00:01";
        // Timestamps in the captured log line up with test steps.
        env["Logging__Console__FormatterName"] = "simple";
        env["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        // The suites register their PI through the page: open registration, first account PI, no sign-in rate limit.
        env["Accounts__Registration"] = "Open";
        env["Accounts__FirstAccountBecomesPI"] = "true";
        env["Limits__AuthPostsPerMinute"] = "100000";
        foreach (var (key, value) in _options.Settings) env[key.Replace(":", "__")] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue($"[{start} out] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue($"[{start} err] {e.Data}"); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAnsweringAsync(process);
        LastStartupTime = clock.Elapsed;
        _output.Enqueue($"[{start}] answering after {LastStartupTime.TotalSeconds:0.0} s");
    }

    private async Task WaitUntilAnsweringAsync(Process process)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} before answering.\n{Output}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/Account/Login");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The portal did not answer {BaseUrl}/Account/Login within {_options.StartTimeout}.\n{Output}");
    }

    /// <summary>Hard kill of the process and everything it started; returns once it is gone.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _output.Enqueue($"[{_starts}] killed");
        _process.Dispose();
        _process = null;
    }

    /// <summary>Kills the running process (if any) and starts a new one on the same database, data root and port.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    /// <summary>The last lines of <see cref="Output"/>, for failure messages.</summary>
    public string Tail(int lines = 80) => string.Join("\n", _output.TakeLast(lines));

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        Kill();
        if (_ownsWorkDirectory && !_options.KeepWorkDirectory)
        {
            try { Directory.Delete(WorkDirectory, recursive: true); }
            catch (IOException) { } // best effort: a temp folder
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
