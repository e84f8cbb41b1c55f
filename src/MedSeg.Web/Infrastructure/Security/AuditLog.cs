using System.Text.Json;

namespace MedSeg.Web.Infrastructure.Security;

/// <summary>One audited action: when, who (account id and name), in which lab, what, on what.</summary>
public sealed record AuditEntry(DateTime At, string UserId, string User, string LabId, string Action, string Detail);

/// <summary>
/// Who did what: an append-only JSON-lines file <c>&lt;data root&gt;/audit/audit.jsonl</c> (one line per action, appended
/// under a process-wide lock; several processes sharing a data root append whole lines). Actions: run.create, run.cancel,
/// run.pause, run.resume, run.priority, upload, ingest.create, invite, role.change, member.remove, token.create,
/// token.revoke. The lab's PI reads their lab's entries, the site administrator everyone's (<c>GET /api/audit</c>, CSV).
/// </summary>
public sealed class AuditLog(DataPaths paths, ILogger<AuditLog> logger)
{
    private static readonly Lock Gate = new();

    private string File => Path.Combine(paths.DataRoot, "audit", "audit.jsonl");

    public void Record(PortalUser by, string action, string detail)
    {
        var line = JsonSerializer.Serialize(new AuditEntry(DateTime.UtcNow, by.Id, by.Name, by.LabId, action, detail));
        try
        {
            lock (Gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(File)!);
                System.IO.File.AppendAllText(File, line + "\n");
            }
        }
        catch (IOException e)
        {
            logger.LogError(e, "Could not write the audit log: {Line}", line); // the action happened; the log line must not undo it
        }
    }

    /// <summary>Entries visible to <paramref name="reader"/> (their lab's; all for the site administrator), newest first.</summary>
    public List<AuditEntry> Read(PortalUser reader, int max = 10_000)
    {
        if (!System.IO.File.Exists(File)) return [];
        string[] lines;
        lock (Gate) lines = System.IO.File.ReadAllLines(File);
        var entries = new List<AuditEntry>();
        for (int i = lines.Length - 1; i >= 0 && entries.Count < max; i--)
        {
            AuditEntry? e;
            try { e = JsonSerializer.Deserialize<AuditEntry>(lines[i]); }
            catch (JsonException) { continue; } // a torn last line after a crash
            if (e is not null && (reader.IsAdmin || e.LabId == reader.LabId)) entries.Add(e);
        }
        return entries;
    }
}
