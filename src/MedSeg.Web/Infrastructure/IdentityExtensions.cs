using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Infrastructure;

public static class IdentityExtensions
{
    public const string PortalScheme = "MedSeg";

    /// <summary>
    /// Individual accounts (ASP.NET Core Identity on EF Core) with roles, cookie sign-in, and a fallback policy
    /// requiring a signed-in user everywhere. /api/* and /hubs/* answer 401/403 instead of redirecting to the login page.
    /// </summary>
    public static WebApplicationBuilder AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        // The sign-in cookie everywhere; on /api and /hubs a personal API token (Authorization: Bearer) instead when one
        // is presented. Pages never accept a token.
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = PortalScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(PortalScheme, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                IsApiRequest(context.Request) && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<AuditLog>();

        var accounts = builder.Configuration.GetSection(AccountsOptions.SectionName).Get<AccountsOptions>() ?? new AccountsOptions();
        var https = builder.Configuration.GetValue<bool>("Security:RequireHttps");
        services.ConfigureApplicationCookie(options =>
        {
            // Secure over HTTPS (always when Security:RequireHttps), HttpOnly, SameSite=Lax; a session, not a week.
            options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        // A captured cookie stops working once its account signs out, changes password or role: the stamp is checked on
        // every request by default (Accounts:SessionValidationInterval).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = accounts.SessionValidationInterval);

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                // Local lab use: no mail server, so no confirmation step.
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = Math.Max(1, accounts.MaxFailedSignIns);
                options.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
                options.Password.RequiredLength = 8;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MedSegDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<LabClaimsPrincipalFactory>();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            // Creating or changing anything: members and PIs, not viewers.
            .AddPolicy(Policies.LabWriter, p => p.RequireRole(Roles.PI, Roles.Member))
            .AddPolicy(Policies.LabPI, p => p.RequireRole(Roles.PI))
            .AddPolicy(Policies.SiteAdmin, p => p.RequireRole(Roles.Admin));
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.SectionName);
        services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.SectionName);
        services.AddSingleton<LabInvitations>();
        services.AddSingleton<SiteSetup>();

        services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        return builder;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (IsApiRequest(context.Request))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Machine clients (fetch, SignalR, scripts) get status codes, never the login page.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
