using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TrainingRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TrainingRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ModelName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ConfigJson = table.Column<string>(type: "text", nullable: false),
                    DatasetId = table.Column<int>(type: "integer", nullable: true),
                    SpecJson = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    QueuePosition = table.Column<long>(type: "bigint", nullable: false),
                    OwnerId = table.Column<string>(type: "text", nullable: false),
                    LabId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Tags = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Device = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CurrentStep = table.Column<long>(type: "bigint", nullable: false),
                    TotalSteps = table.Column<long>(type: "bigint", nullable: false),
                    LastLoss = table.Column<double>(type: "double precision", nullable: true),
                    BestValDice = table.Column<double>(type: "double precision", nullable: true),
                    FinalValDice = table.Column<double>(type: "double precision", nullable: true),
                    BestCheckpointPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    LastCheckpointPath = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    RunFolder = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    ErrorText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ClonedFromRunId = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RunEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RunEvents_TrainingRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "TrainingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RunStepMetrics",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Loss = table.Column<double>(type: "double precision", nullable: false),
                    Lr = table.Column<double>(type: "double precision", nullable: false),
                    SamplesPerSecond = table.Column<float>(type: "real", nullable: false),
                    DataWaitFraction = table.Column<float>(type: "real", nullable: false),
                    MemoryBytes = table.Column<long>(type: "bigint", nullable: false),
                    ValDice = table.Column<double>(type: "double precision", nullable: true),
                    ValDiceJson = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunStepMetrics", x => new { x.RunId, x.Step });
                    table.ForeignKey(
                        name: "FK_RunStepMetrics_TrainingRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "TrainingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RunEvents_RunId_Id",
                table: "RunEvents",
                columns: new[] { "RunId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_DatasetId",
                table: "TrainingRuns",
                column: "DatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_LabId_CreatedAt",
                table: "TrainingRuns",
                columns: new[] { "LabId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_OwnerId",
                table: "TrainingRuns",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_Status_Priority_QueuePosition",
                table: "TrainingRuns",
                columns: new[] { "Status", "Priority", "QueuePosition" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunEvents");

            migrationBuilder.DropTable(
                name: "RunStepMetrics");

            migrationBuilder.DropTable(
                name: "TrainingRuns");
        }
    }
}
