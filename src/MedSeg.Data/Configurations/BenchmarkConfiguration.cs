using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class BenchmarkProtocolEntryConfiguration : IEntityTypeConfiguration<BenchmarkProtocolEntry>
{
    public void Configure(EntityTypeBuilder<BenchmarkProtocolEntry> builder)
    {
        builder.ToTable("BenchmarkProtocols");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.LabId).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(100).IsRequired();
        builder.Property(p => p.Json).HasMaxLength(200_000).IsRequired();
        builder.Property(p => p.RecipeHash).HasMaxLength(64).IsRequired();
        builder.Property(p => p.OwnerId).HasMaxLength(450).IsRequired();
        builder.HasIndex(p => new { p.LabId, p.Name, p.Version }).IsUnique();
    }
}

public sealed class BenchmarkCellConfiguration : IEntityTypeConfiguration<BenchmarkCell>
{
    public void Configure(EntityTypeBuilder<BenchmarkCell> builder)
    {
        builder.ToTable("BenchmarkCells");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.LabId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.ProtocolName).HasMaxLength(100).IsRequired();
        builder.Property(c => c.RecipeHash).HasMaxLength(64).IsRequired();
        builder.Property(c => c.MethodKey).HasMaxLength(64).IsRequired();
        builder.Property(c => c.MethodLabel).HasMaxLength(300).IsRequired();
        builder.Property(c => c.Dataset).HasMaxLength(NameRule.MaxLength).IsRequired();
        builder.Property(c => c.Budget).HasMaxLength(16).IsRequired();
        builder.HasOne(c => c.TrainingRun).WithMany().HasForeignKey(c => c.TrainingRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.LabId, c.ProtocolName, c.RecipeHash, c.MethodKey, c.Dataset, c.Budget, c.Seed }).IsUnique();
    }
}
