using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class RunNotesAndSystemSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "TrainingRuns",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RunSystemSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercent = table.Column<float>(type: "real", nullable: false),
                    ResidentBytes = table.Column<long>(type: "bigint", nullable: false),
                    GpuPercent = table.Column<float>(type: "real", nullable: true),
                    GpuMemoryBytes = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunSystemSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RunSystemSamples_TrainingRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "TrainingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RunSystemSamples_RunId_At",
                table: "RunSystemSamples",
                columns: new[] { "RunId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunSystemSamples");

            migrationBuilder.DropColumn(
                name: "Notes",
                table: "TrainingRuns");
        }
    }
}
