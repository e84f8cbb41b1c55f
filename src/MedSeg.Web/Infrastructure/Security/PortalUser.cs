using System.Security.Claims;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>
/// The signed-in user as the portal sees it: id, lab and lab role (PI, Member or Viewer), and whether they are the site
/// administrator. Every resource belongs to one lab; other labs' resources do not exist for the user (404).
/// </summary>
public sealed record PortalUser(string Id, string Name, string LabId, bool IsPI, bool IsViewer = false, bool IsAdmin = false)
{
    public const string LabClaim = "medseg:lab";

    public static PortalUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The request has no signed-in user.");
        var isPI = principal.IsInRole(Roles.PI);
        return new PortalUser(id, principal.Identity?.Name ?? id, principal.FindFirstValue(LabClaim) ?? Labs.Default, isPI,
            IsViewer: !isPI && principal.IsInRole(Roles.Viewer), IsAdmin: principal.IsInRole(Roles.Admin));
    }

    /// <summary>Members and PIs create things; viewers only read.</summary>
    public bool CanWrite => !IsViewer;

    /// <summary>Owners and the lab's PI may change a dataset; everyone in the lab may read it.</summary>
    public bool CanManage(Dataset dataset) => CanWrite && dataset.LabId == LabId && (IsPI || dataset.OwnerId == Id);

    public bool CanRead(Dataset dataset) => dataset.LabId == LabId;

    /// <summary>Owners and the lab's PI may pause, cancel, resume or clone a run; everyone in the lab may watch it.</summary>
    public bool CanManage(TrainingRun run) => CanWrite && run.LabId == LabId && (IsPI || run.OwnerId == Id);

    public bool CanRead(TrainingRun run) => run.LabId == LabId;
}
