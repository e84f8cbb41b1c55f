using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class RunStepMetricConfiguration : IEntityTypeConfiguration<RunStepMetric>
{
    public void Configure(EntityTypeBuilder<RunStepMetric> builder)
    {
        builder.ToTable("RunStepMetrics");
        // The key is the index every history read uses: WHERE RunId = @id AND Step > @after ORDER BY Step.
        builder.HasKey(m => new { m.RunId, m.Step });
        // The validated steps only (a few hundred of a 100,000-step run): the run page's chart history reads them all
        // without visiting every step row (Runs/Live/RunChartHistory). The filter is the same SQL in SQLite and PostgreSQL.
        builder.HasIndex(m => new { m.RunId, m.Step }, "IX_RunStepMetrics_Validated").HasFilter("\"ValDice\" IS NOT NULL");
        builder.Property(m => m.ValDiceJson).HasMaxLength(2000);
        builder.Property(m => m.TermsJson).HasMaxLength(2000);
        builder.HasOne<TrainingRun>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
