using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DownstreamBoardColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DownstreamDataset",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DownstreamMeanDice",
                table: "TrainingRuns",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_DownstreamDataset_DownstreamMeanDice",
                table: "TrainingRuns",
                columns: new[] { "LabId", "DownstreamDataset", "DownstreamMeanDice" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_LabId_DownstreamDataset_DownstreamMeanDice",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "DownstreamDataset",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "DownstreamMeanDice",
                table: "TrainingRuns");
        }
    }
}
