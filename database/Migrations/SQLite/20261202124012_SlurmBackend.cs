using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SlurmBackend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Backend",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Local");

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobId",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobReason",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobState",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterNode",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterRequestJson",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WorkerTokenHash",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Backend",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ClusterJobId",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ClusterJobReason",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ClusterJobState",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ClusterNode",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ClusterRequestJson",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "WorkerTokenHash",
                table: "TrainingRuns");
        }
    }
}
