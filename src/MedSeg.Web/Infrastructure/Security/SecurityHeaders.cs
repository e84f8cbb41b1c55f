namespace MedSeg.Web.Infrastructure.Security;

/// <summary>
/// Standard response headers on everything the portal serves: no MIME sniffing, no referrer leaving the site, no
/// framing by other sites (clickjacking), no powerful browser features. (Kestrel's <c>Server</c> header is switched off
/// where Kestrel is configured.)
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h["X-Content-Type-Options"] = "nosniff";
            h["Referrer-Policy"] = "same-origin";
            h["X-Frame-Options"] = "DENY";
            h["Content-Security-Policy"] = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    });
}
