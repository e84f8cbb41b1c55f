using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class RunSystemSampleConfiguration : IEntityTypeConfiguration<RunSystemSample>
{
    public void Configure(EntityTypeBuilder<RunSystemSample> builder)
    {
        builder.ToTable("RunSystemSamples");
        builder.HasKey(s => s.Id);
        // Every read is one run's samples in time order.
        builder.HasIndex(s => new { s.RunId, s.At });
        builder.HasOne<TrainingRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
