using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class BenchmarkProtocols : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BenchmarkCells",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LabId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProtocolName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecipeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MethodKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MethodLabel = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Dataset = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Budget = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Seed = table.Column<long>(type: "bigint", nullable: false),
                    TrainingRunId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkCells", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenchmarkCells_TrainingRuns_TrainingRunId",
                        column: x => x.TrainingRunId,
                        principalTable: "TrainingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BenchmarkProtocols",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LabId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    RecipeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OwnerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkProtocols", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkCells_LabId_ProtocolName_RecipeHash_MethodKey_Data~",
                table: "BenchmarkCells",
                columns: new[] { "LabId", "ProtocolName", "RecipeHash", "MethodKey", "Dataset", "Budget", "Seed" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkCells_TrainingRunId",
                table: "BenchmarkCells",
                column: "TrainingRunId");

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkProtocols_LabId_Name_Version",
                table: "BenchmarkProtocols",
                columns: new[] { "LabId", "Name", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BenchmarkCells");

            migrationBuilder.DropTable(
                name: "BenchmarkProtocols");
        }
    }
}
