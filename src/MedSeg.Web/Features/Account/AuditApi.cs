using System.Globalization;
using System.Security.Claims;
using System.Text;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Features.Account;

/// <summary>
/// The audit log for the lab's PI (their lab) and the site administrator (all labs): JSON, or CSV to export; both take the
/// filter <c>?action=&amp;text=&amp;lab=&amp;from=&amp;to=</c> (<see cref="AuditFilter"/>).
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/audit").RequireAuthorization(policy => policy.RequireRole(MedSeg.Data.Entities.Roles.PI, MedSeg.Data.Entities.Roles.Admin));
        group.MapGet("", (ClaimsPrincipal user, AuditLog audit, string? action, string? text, string? lab, DateTime? from, DateTime? to) =>
            Results.Ok(audit.Read(PortalUser.From(user), filter: new AuditFilter(action, text, lab, Utc(from), Utc(to)))));
        group.MapGet("/export.csv", (ClaimsPrincipal user, AuditLog audit, string? action, string? text, string? lab, DateTime? from, DateTime? to) =>
        {
            var c = CultureInfo.InvariantCulture;
            var csv = new StringBuilder("at_utc,user,lab,action,detail\n");
            foreach (var e in audit.Read(PortalUser.From(user), filter: new AuditFilter(action, text, lab, Utc(from), Utc(to))))
                csv.AppendJoin(',', [e.At.ToString("O", c), RunCsv.Quote(e.User), RunCsv.Quote(e.LabId), RunCsv.Quote(e.Action), RunCsv.Quote(e.Detail)]).Append('\n');
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", "audit.csv");
        });
        return endpoints;
    }

    private static DateTime? Utc(DateTime? t) => t?.Kind == DateTimeKind.Local ? t.Value.ToUniversalTime() : t;
}
