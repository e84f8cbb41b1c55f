using System.Security.Claims;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// Personal API tokens under /api/tokens, for the signed-in account itself: list (never the secrets), create (the
/// token is in this answer only), revoke. Creating needs the sign-in cookie: a token cannot mint tokens.
/// </summary>
public static class TokenApi
{
    public sealed record CreateBody(string Name, int? Days);

    public sealed record Created(ApiTokenInfo Info, string Token);

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/tokens").RequireAuthorization();
        group.MapGet("", async (ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) => Results.Ok(await tokens.ListAsync(PortalUser.From(user).Id, ct)));
        group.MapPost("", CreateAsync);
        group.MapDelete("/{id}", async (string id, ClaimsPrincipal user, ApiTokens tokens, AuditLog audit, CancellationToken ct) =>
        {
            var by = PortalUser.From(user);
            if (!await tokens.RevokeAsync(by.Id, id, ct)) return ApiProblems.NotFound($"You have no token {id}.");
            audit.Record(by, "token.revoke", $"token {id}");
            return Results.NoContent();
        });
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(CreateBody body, ClaimsPrincipal user, ApiTokens tokens, AuditLog audit, CancellationToken ct)
    {
        if (ApiTokenAuthenticationHandler.IsToken(user)) return ApiProblems.Forbidden("Create tokens while signed in to the portal, not with a token.");
        var name = body.Name?.Trim() ?? "";
        var days = body.Days ?? 30;
        var problems = new List<string>();
        if (name.Length is 0 or > 100) problems.Add($"Name: 1–100 characters, got '{name}'.");
        if (days is < 1 or > ApiTokens.MaxDays) problems.Add($"Days: 1–{ApiTokens.MaxDays}, got {days}.");
        if (problems.Count > 0) return Results.ValidationProblem(new Dictionary<string, string[]> { ["token"] = [.. problems] });
        var by = PortalUser.From(user);
        var (info, token) = await tokens.CreateAsync(by.Id, name, days, ct);
        audit.Record(by, "token.create", $"token {info.Id} '{name}' expiring {info.ExpiresAt:u}");
        return Results.Created($"/api/tokens/{info.Id}", new Created(info, token));
    }
}
