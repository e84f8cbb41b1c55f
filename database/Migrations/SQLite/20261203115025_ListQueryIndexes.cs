using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListQueryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_CreatedAt",
                table: "TrainingRuns");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_EndedUnstamped",
                table: "TrainingRuns",
                columns: new[] { "LabId", "CreatedAt" },
                filter: "\"Status\" IN ('Completed', 'Failed', 'Cancelled', 'Interrupted') AND \"FinishedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_FineTunesToRecord",
                table: "TrainingRuns",
                columns: new[] { "LabId", "Status", "Id" },
                filter: "\"Method\" = 'FineTune' AND \"Status\" = 'Completed' AND \"DownstreamDataset\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_Backend_Id",
                table: "TrainingRuns",
                columns: new[] { "LabId", "Backend", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_FinishedAt",
                table: "TrainingRuns",
                columns: new[] { "LabId", "FinishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_RunFolder",
                table: "TrainingRuns",
                columns: new[] { "LabId", "RunFolder" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_EndedUnstamped",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_FineTunesToRecord",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_Backend_Id",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_FinishedAt",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_RunFolder",
                table: "TrainingRuns");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_CreatedAt",
                table: "TrainingRuns",
                columns: new[] { "LabId", "CreatedAt" });
        }
    }
}
