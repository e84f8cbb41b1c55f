using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> builder)
    {
        builder.ToTable("TrainingRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(NameRule.MaxLength).IsRequired();
        builder.Property(r => r.Method).HasMaxLength(32).IsRequired();
        builder.Property(r => r.ModelName).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ConfigJson).IsRequired();
        // Text, not an int: readable rows, and reordering the enum cannot corrupt them.
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.LabId).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Tags).HasMaxLength(400);
        builder.Property(r => r.Device).HasMaxLength(32);
        builder.Property(r => r.BestCheckpointPath).HasMaxLength(400);
        builder.Property(r => r.LastCheckpointPath).HasMaxLength(400);
        builder.Property(r => r.RunFolder).HasMaxLength(400).IsRequired();
        builder.Property(r => r.ErrorText).HasMaxLength(4000);
        builder.Property(r => r.RequestedAction).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.WorkerName).HasMaxLength(128);
        builder.Property(r => r.Backend).HasMaxLength(16).IsRequired().HasDefaultValue(RunBackends.Local);
        builder.Property(r => r.ClusterRequestJson).HasMaxLength(2000);
        builder.Property(r => r.ClusterJobId).HasMaxLength(32);
        builder.Property(r => r.ClusterJobState).HasMaxLength(32);
        builder.Property(r => r.ClusterJobReason).HasMaxLength(200);
        builder.Property(r => r.ClusterNode).HasMaxLength(200);
        builder.Property(r => r.WorkerTokenHash).HasMaxLength(64);
        builder.Property(r => r.DownstreamDataset).HasMaxLength(400);
        builder.Property(r => r.Notes).HasMaxLength(TrainingRun.MaxNotesLength);
        builder.Ignore(r => r.IsActive);
        builder.Ignore(r => r.IsFinished);
        builder.HasOne(r => r.Owner).WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // A dataset with runs cannot be deleted from under them.
        builder.HasOne(r => r.Dataset).WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Restrict);
        // The queue query: status, then priority and position.
        builder.HasIndex(r => new { r.Status, r.Priority, r.QueuePosition });
        builder.HasIndex(r => new { r.LabId, r.CreatedAt });
        // The paged run list and leaderboards sort a lab's runs by these (one query per page, never the whole lab).
        builder.HasIndex(r => new { r.LabId, r.BestValDice });
        builder.HasIndex(r => new { r.LabId, r.FinalValDice });
        builder.HasIndex(r => new { r.LabId, r.LastLoss });
        builder.HasIndex(r => new { r.LabId, r.Name });
        builder.HasIndex(r => new { r.LabId, r.Status });
        // The downstream leaderboard pages one dataset's fine-tune runs by mean Dice.
        builder.HasIndex(r => new { r.LabId, r.DownstreamDataset, r.DownstreamMeanDice });
        // The dashboard's cluster runs (newest first; no rows at all where Slurm is not used: a seek, not a scan of the lab).
        builder.HasIndex(r => new { r.LabId, r.Backend, r.Id });
        // The downstream board's "fine-tunes not yet recorded" query on every view: an index of just those runs (near empty).
        // (Status is a key column although the filter fixes it: SQLite then prefers this index to (LabId, Status).)
        builder.HasIndex(r => new { r.LabId, r.Status, r.Id }).HasDatabaseName("IX_TrainingRuns_FineTunesToRecord")
            .HasFilter("\"Method\" = 'FineTune' AND \"Status\" = 'Completed' AND \"DownstreamDataset\" IS NULL");
        // The dashboard's newest ends: by finish time, and the (rare) ended runs without one by start time. The filter
        // repeats the query's terms verbatim, as SQLite needs to use a partial index.
        builder.HasIndex(r => new { r.LabId, r.FinishedAt });
        builder.HasIndex(r => new { r.LabId, r.CreatedAt }).HasDatabaseName("IX_TrainingRuns_EndedUnstamped")
            .HasFilter("\"Status\" IN ('Completed', 'Failed', 'Cancelled', 'Interrupted') AND \"FinishedAt\" IS NULL");
        // Runs looked up by folder (a fine-tune's init run on the downstream board, weights picked from a run).
        builder.HasIndex(r => new { r.LabId, r.RunFolder });
    }
}
