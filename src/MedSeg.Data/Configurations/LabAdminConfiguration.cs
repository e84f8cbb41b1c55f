using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MedSeg.Data.Configurations;

public sealed class LabAdminConfiguration : IEntityTypeConfiguration<LabAdmin>
{
    public void Configure(EntityTypeBuilder<LabAdmin> builder)
    {
        builder.ToTable("LabAdmins");
        // One row per lab: the key is the atomic "first account becomes PI" guard.
        builder.HasKey(a => a.LabId);
        builder.Property(a => a.LabId).HasMaxLength(64);
        builder.Property(a => a.UserId).IsRequired();
        // Deleting the PI's account frees the lab: the next registration administers it.
        builder.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
