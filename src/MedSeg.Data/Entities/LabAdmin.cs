namespace MedSeg.Data.Entities;

/// <summary>
/// The account that administers a lab (its PI). The lab id is the primary key, so the database itself lets exactly one
/// registration claim a lab: two simultaneous first registrations cannot both become PI.
/// </summary>
public class LabAdmin
{
    public string LabId { get; set; } = Labs.Default;

    public string UserId { get; set; } = "";
    public ApplicationUser? User { get; set; }

    public DateTime ClaimedAt { get; set; }
}
