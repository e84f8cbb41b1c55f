using Microsoft.Net.Http.Headers;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>
/// CSRF defence for the cookie-authenticated API (the Identity pages use antiforgery tokens): a state-changing request
/// (POST, PUT, PATCH, DELETE) under <c>/api</c> must carry the header <see cref="HeaderName"/> — which a cross-site form
/// cannot send and a cross-site script cannot send without a CORS preflight the portal never grants — and, when the
/// browser names an <c>Origin</c>, it must be this site. <c>/hubs</c> connections from another origin are refused too.
/// Requests authenticated with a personal API token (<c>Authorization: Bearer</c>) carry no ambient credential and are exempt.
/// Refusals are 403 ProblemDetails naming what was missing.
/// </summary>
public static class CrossSiteRequestGuard
{
    public const string HeaderName = "X-MedSeg-Request";

    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        bool api = request.Path.StartsWithSegments("/api"), hub = request.Path.StartsWithSegments("/hubs");
        if ((api || hub) && Refusal(request, api, context.User.Identity?.IsAuthenticated == true) is { } why)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused", detail: why).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static string? Refusal(HttpRequest request, bool api, bool signedIn)
    {
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !SameOrigin(request, origin))
            return $"Origin '{origin}' is not this portal ({request.Scheme}://{request.Host}).";
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site")
            return "The browser reports a cross-site request (Sec-Fetch-Site: cross-site).";
        bool unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        // Only a request the cookie signed in can be forged; an anonymous one gets its 401 from authorization.
        if (api && unsafeMethod && signedIn && string.IsNullOrEmpty(request.Headers[HeaderName]))
            return $"State-changing API calls made with the sign-in cookie need the header {HeaderName}: 1 (scripts: use a personal API token).";
        return null;
    }

    private static bool SameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
