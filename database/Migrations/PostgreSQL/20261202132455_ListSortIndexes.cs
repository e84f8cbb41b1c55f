using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ListSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_BestValDice",
                table: "TrainingRuns",
                columns: new[] { "LabId", "BestValDice" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_FinalValDice",
                table: "TrainingRuns",
                columns: new[] { "LabId", "FinalValDice" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_LastLoss",
                table: "TrainingRuns",
                columns: new[] { "LabId", "LastLoss" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_Name",
                table: "TrainingRuns",
                columns: new[] { "LabId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_Status",
                table: "TrainingRuns",
                columns: new[] { "LabId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_LabId_CreatedUtc",
                table: "Datasets",
                columns: new[] { "LabId", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_BestValDice",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_FinalValDice",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_LastLoss",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_Name",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_Status",
                table: "TrainingRuns");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_LabId_CreatedUtc",
                table: "Datasets");
        }
    }
}
