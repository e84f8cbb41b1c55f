using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Runs.Tracking;

/// <summary>A run's notes as the page and the API show them.</summary>
public sealed record RunNotesView(int RunId, string Markdown, string Html, bool CanEdit);

/// <summary>How saving notes went: <see cref="Saved"/>, or why not (the run is not the caller's lab's, they may not edit, too long).</summary>
public enum RunNotesOutcome { Saved, NotFound, Forbidden, Invalid }

public sealed record RunNotesSave(RunNotesOutcome Outcome, RunNotesView? Notes = null, string? Problem = null);

/// <summary>
/// Markdown notes per run: everyone in the run's lab reads them; its owner or the lab's PI edits them (viewers never),
/// each change written to the audit log. At most <see cref="TrainingRun.MaxNotesLength"/> characters.
/// </summary>
public sealed class RunNotes(IDbContextFactory<MedSegDbContext> dbFactory, AuditLog audit)
{
    public async Task<RunNotesView?> GetAsync(PortalUser user, int runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        return run is not null && user.CanRead(run) ? View(run, user) : null;
    }

    public async Task<RunNotesSave> SaveAsync(PortalUser user, int runId, string? markdown, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || !user.CanRead(run)) return new(RunNotesOutcome.NotFound);
        if (!user.CanManage(run))
            return new(RunNotesOutcome.Forbidden, Problem: "Notes: only the run's owner or the lab's PI may edit them.");
        if (Problem(markdown) is { } problem) return new(RunNotesOutcome.Invalid, Problem: problem);
        var text = string.IsNullOrWhiteSpace(markdown) ? null : markdown;
        if (run.Notes != text)
        {
            run.Notes = text;
            await db.SaveChangesAsync(ct);
            audit.Record(user, "run.notes", $"run {run.Id} '{run.Name}': notes {(text is null ? "cleared" : $"set ({text.Length:N0} characters)")}");
        }
        return new(RunNotesOutcome.Saved, View(run, user));
    }

    /// <summary>Why <paramref name="markdown"/> cannot be saved (field, its length, the limit), or null.</summary>
    public static string? Problem(string? markdown) =>
        markdown is { Length: > TrainingRun.MaxNotesLength }
            ? $"Notes are {markdown.Length:N0} characters long; the limit is {TrainingRun.MaxNotesLength:N0} characters."
            : null;

    private static RunNotesView View(TrainingRun run, PortalUser user) =>
        new(run.Id, run.Notes ?? "", NotesMarkdown.ToHtml(run.Notes), user.CanManage(run));
}
