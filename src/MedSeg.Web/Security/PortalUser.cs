using System.Security.Claims;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Security;

/// <summary>The signed-in user as the portal sees it: id, lab and whether they administer the lab.</summary>
public sealed record PortalUser(string Id, string Name, string LabId, bool IsPI)
{
    public const string LabClaim = "medseg:lab";

    public static PortalUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The request has no signed-in user.");
        return new PortalUser(id, principal.Identity?.Name ?? id, principal.FindFirstValue(LabClaim) ?? Labs.Default, principal.IsInRole(Roles.PI));
    }

    /// <summary>Owners and the lab's PI may change a dataset; everyone in the lab may read it.</summary>
    public bool CanManage(Dataset dataset) => dataset.LabId == LabId && (IsPI || dataset.OwnerId == Id);

    public bool CanRead(Dataset dataset) => dataset.LabId == LabId;

    /// <summary>Owners and the lab's PI may pause, cancel, resume or clone a run; everyone in the lab may watch it.</summary>
    public bool CanManage(TrainingRun run) => run.LabId == LabId && (IsPI || run.OwnerId == Id);

    public bool CanRead(TrainingRun run) => run.LabId == LabId;
}
