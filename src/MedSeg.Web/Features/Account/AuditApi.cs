using System.Globalization;
using System.Security.Claims;
using System.Text;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Features.Account;

/// <summary>The audit log for the lab's PI (their lab) and the site administrator (all labs): JSON, or CSV to export.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/audit").RequireAuthorization(policy => policy.RequireRole(MedSeg.Data.Entities.Roles.PI, MedSeg.Data.Entities.Roles.Admin));
        group.MapGet("", (ClaimsPrincipal user, AuditLog audit) => Results.Ok(audit.Read(PortalUser.From(user))));
        group.MapGet("/export.csv", (ClaimsPrincipal user, AuditLog audit) =>
        {
            var c = CultureInfo.InvariantCulture;
            var csv = new StringBuilder("at_utc,user,lab,action,detail\n");
            foreach (var e in audit.Read(PortalUser.From(user)))
                csv.AppendJoin(',', [e.At.ToString("O", c), RunCsv.Quote(e.User), RunCsv.Quote(e.LabId), RunCsv.Quote(e.Action), RunCsv.Quote(e.Detail)]).Append('\n');
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", "audit.csv");
        });
        return endpoints;
    }
}
