using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.LabId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Name).HasMaxLength(NameRule.MaxLength).IsRequired();
        builder.Property(d => d.Kind).HasMaxLength(32).IsRequired();
        builder.Property(d => d.SpecJson).IsRequired();
        // Text, not an int: the database stays readable and enum reordering cannot corrupt rows.
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Path).HasMaxLength(400).IsRequired();
        builder.Property(d => d.Error).HasMaxLength(4000);
        builder.Ignore(d => d.IsActive);
        builder.HasOne(d => d.Owner).WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.LabId, d.Name }).IsUnique();
        builder.HasIndex(d => d.Status);
        builder.HasIndex(d => new { d.LabId, d.CreatedUtc }); // the paged dataset list, newest first
    }
}
