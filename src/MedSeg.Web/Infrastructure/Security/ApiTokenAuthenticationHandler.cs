using System.Security.Claims;
using System.Text.Encodings.Web;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Account;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>
/// <c>Authorization: Bearer medseg_…</c> on /api and /hubs: the token's account, with the same claims as its cookie
/// (lab, roles), plus <see cref="AuthMethodClaim"/> = token. A locked or removed account's tokens stop working with it.
/// Failures are 401 with a <c>WWW-Authenticate</c> naming why (expired, revoked, unknown).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, UserManager<ApplicationUser> users, IUserClaimsPrincipalFactory<ApplicationUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string AuthMethodClaim = "medseg:auth";

    private string? refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var (userId, why) = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is not null && await users.IsLockedOutAsync(user)) (user, why) = (null, "account locked");
        if (user is null)
        {
            refusal = why ?? "unknown token";
            return AuthenticateResult.Fail(refusal);
        }
        var principal = await principals.CreateAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AuthMethodClaim, "token"));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = refusal is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{refusal}\"";
        return Task.CompletedTask;
    }

    /// <summary>True when the request was authenticated with a token (not the cookie).</summary>
    public static bool IsToken(ClaimsPrincipal user) => user.HasClaim(AuthMethodClaim, "token");
}
