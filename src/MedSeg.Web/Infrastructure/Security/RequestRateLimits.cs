using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the endpoints worth guessing at or flooding: sign-in, registration and setup posts per
/// client address (<see cref="LimitsOptions.AuthPostsPerMinute"/>), archive uploads per account
/// (<see cref="LimitsOptions.UploadsPerHour"/>). Refusals are 429 ProblemDetails with Retry-After.
/// </summary>
public static class RequestRateLimits
{
    public static IServiceCollection AddRequestRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(LimitsOptions.SectionName).Get<LimitsOptions>() ?? new LimitsOptions();
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var request = context.Request;
                if (!HttpMethods.IsPost(request.Method)) return RateLimitPartition.GetNoLimiter("");
                if (request.Path.StartsWithSegments("/Account/Login") || request.Path.StartsWithSegments("/Account/Register")
                    || request.Path.StartsWithSegments(SiteSetup.Path))
                    return RateLimitPartition.GetFixedWindowLimiter($"auth:{context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, limits.AuthPostsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                    });
                if (request.Path.StartsWithSegments("/api/downstream/datasets"))
                    return RateLimitPartition.GetFixedWindowLimiter(
                        $"upload:{context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString()}",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, limits.UploadsPerHour), Window = TimeSpan.FromHours(1), QueueLimit = 0 });
                return RateLimitPartition.GetNoLimiter("");
            });
            options.OnRejected = async (context, ct) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"Too many requests to {context.HttpContext.Request.Path}; try again later (Limits:AuthPostsPerMinute / Limits:UploadsPerHour).")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
