namespace MedSeg.Web.Infrastructure.Security;

/// <summary>Authorization policy names (registered in <c>AddPortalIdentity</c>).</summary>
public static class Policies
{
    /// <summary>PI or member of a lab: may create and change (viewers only read).</summary>
    public const string LabWriter = "LabWriter";

    /// <summary>The lab's PI: members, invitations, priorities, the lab's audit log.</summary>
    public const string LabPI = "LabPI";

    /// <summary>The site administrator.</summary>
    public const string SiteAdmin = "SiteAdmin";
}
