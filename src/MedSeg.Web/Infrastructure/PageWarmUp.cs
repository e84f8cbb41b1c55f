using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Infrastructure;

/// <summary>One page the warm-up rendered: its path, the status the pipeline answered, how long it took, and what it threw (status 500).</summary>
public sealed record WarmedPage(string Path, int Status, double Milliseconds, string? Error = null)
{
    public override string ToString() => $"{Path} {Status} {Milliseconds:F0} ms{(Error is null ? "" : $" ({Error})")}";
}

/// <summary>
/// Renders the portal's main pages once in the process after the first signed-in page view since start, as that user
/// (their cookie, passed to the pipeline in memory: nothing goes over the network and the answers are thrown away).
/// A page's first visit after a restart otherwise pays for compiling its components and planning its queries — up to
/// 430 ms of server time per page (the downstream board; 40–270 ms for the others) at 10,000 runs, which pushed those
/// first visits past 300 ms (README, "Warming the pages instead"). A signed-in identity is needed because the pages show a lab's rows: without rows the cells'
/// code would stay cold. Off with <c>Portal:WarmUpPages=false</c>.
/// </summary>
public sealed partial class PageWarmUp(IServiceScopeFactory scopes, IOptions<PortalOptions> options, ILogger<PageWarmUp> log)
{
    /// <summary>The pages warmed, in order; a run's and a dataset's page follow, taken from the first row of their lists.</summary>
    public static readonly IReadOnlyList<string> Paths = ["/", "/runs", "/runs/leaderboard", "/runs/downstream", "/datasets", "/benchmarks"];

    /// <summary>The longest one page's render may take; one still running then is left to finish alone, marked 504.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The longest a started warm-up can take: its delay, then every page (the lists' two detail pages too) at its bound.</summary>
    public TimeSpan Longest => options.Value.WarmUpDelay + PageTimeout * (Paths.Count + 2);

    private readonly TaskCompletionSource<IReadOnlyList<WarmedPage>> warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RequestDelegate? pipeline;
    private int started;

    /// <summary>The pages rendered, once the warm-up has finished (it never fails: a page that threw has status 500).</summary>
    public Task<IReadOnlyList<WarmedPage>> Warmed => warmed.Task;

    /// <summary>Whether a warm-up has been started in this process.</summary>
    public bool Started => Volatile.Read(ref started) == 1;

    /// <summary>Placed before routing: the rest of the pipeline is what the warm-up sends its requests through.</summary>
    public Func<RequestDelegate, RequestDelegate> Middleware => next =>
    {
        pipeline = next;
        return async context =>
        {
            await next(context);
            if (options.Value.WarmUpPages && Volatile.Read(ref started) == 0 && IsSignedInPageView(context)
                && Interlocked.Exchange(ref started, 1) == 0)
            {
                var caller = Caller.From(context.Request);
                // Not flowing this request's execution context: its IHttpContextAccessor value must not reach the warm-up's.
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => WarmAsync(caller));
            }
        };
    };

    private static bool IsSignedInPageView(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode == StatusCodes.Status200OK
        && context.User.Identity?.IsAuthenticated == true && !IdentityExtensions.IsApiRequest(context.Request)
        && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
        && !string.IsNullOrEmpty(context.Request.Headers.Cookie);

    private async Task WarmAsync(Caller caller)
    {
        var pages = new List<WarmedPage>();
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Delay(options.Value.WarmUpDelay);
            var paths = new Queue<string>(Paths);
            while (paths.TryDequeue(out var path))
            {
                var (page, body) = await RenderAsync(caller, path);
                pages.Add(page);
                // The first row of the runs and datasets lists: their detail pages are the ones visited next.
                var detail = path switch { "/runs" => RunLink().Match(body), "/datasets" => DatasetLink().Match(body), _ => Match.Empty };
                if (detail.Success) paths.Enqueue("/" + detail.Groups[1].Value);
            }
            log.LogInformation("Warmed {Count} pages in {Milliseconds:F0} ms for their first visits since start ({Pages})", pages.Count,
                clock.Elapsed.TotalMilliseconds, string.Join(", ", pages));
        }
        catch (Exception e)
        {
            // Only the first visits stay slow: nothing a user asked for failed.
            log.LogWarning(e, "Warming the portal's pages stopped after {Count} pages", pages.Count);
        }
        finally { warmed.TrySetResult(pages); }
    }

    private async Task<(WarmedPage Page, string Body)> RenderAsync(Caller caller, string path)
    {
        var clock = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        using var body = new MemoryStream();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Method = HttpMethods.Get, Protocol = "HTTP/1.1", Scheme = caller.Scheme, PathBase = caller.PathBase, Path = path,
            Headers = new HeaderDictionary { ["Host"] = caller.Host, ["Cookie"] = caller.Cookie, ["Accept"] = "text/html" },
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = $"warm-up-{Guid.NewGuid():N}", RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback,
        });
        using var abort = new CancellationTokenSource(PageTimeout);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = abort.Token });
        var context = new DefaultHttpContext(features) { RequestServices = scope.ServiceProvider };
        // As the host does for every request (Identity's SignInManager reads it).
        if (scope.ServiceProvider.GetService<IHttpContextAccessor>() is { } accessor) accessor.HttpContext = context;
        try
        {
            await pipeline!(context).WaitAsync(PageTimeout);
            await context.Response.Body.FlushAsync();
        }
        catch (TimeoutException)
        {
            return (new WarmedPage(path, StatusCodes.Status504GatewayTimeout, clock.Elapsed.TotalMilliseconds,
                $"did not finish within {PageTimeout.TotalSeconds:F0} s"), "");
        }
        catch (Exception e)
        {
            log.LogDebug(e, "Warm-up of {Path} failed", path);
            return (new WarmedPage(path, StatusCodes.Status500InternalServerError, clock.Elapsed.TotalMilliseconds, $"{e.GetType().Name}: {e.Message}"), "");
        }
        return (new WarmedPage(path, context.Response.StatusCode, clock.Elapsed.TotalMilliseconds), Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>What the warm-up's requests copy from the first page view: where it was addressed and who sent it.</summary>
    private sealed record Caller(string Scheme, string Host, PathString PathBase, string Cookie)
    {
        public static Caller From(HttpRequest request) =>
            new(request.Scheme, request.Host.HasValue ? request.Host.Value! : "localhost", request.PathBase, request.Headers.Cookie.ToString());
    }

    [GeneratedRegex("href=\"(runs/\\d+)\"")]
    private static partial Regex RunLink();

    [GeneratedRegex("href=\"(datasets/\\d+)\"")]
    private static partial Regex DatasetLink();
}
