using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Local");

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobId",
                table: "TrainingRuns",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobReason",
                table: "TrainingRuns",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterJobState",
                table: "TrainingRuns",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterNode",
                table: "TrainingRuns",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClusterRequestJson",
                table: "TrainingRuns",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WorkerTokenHash",
                table: "TrainingRuns",
                type: "character varying(64)",
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
