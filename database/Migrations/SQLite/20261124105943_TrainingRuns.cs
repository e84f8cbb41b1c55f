using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.Sqlite
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ModelName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfigJson = table.Column<string>(type: "TEXT", nullable: false),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: true),
                    SpecJson = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    QueuePosition = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", nullable: false),
                    LabId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Device = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CurrentStep = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalSteps = table.Column<long>(type: "INTEGER", nullable: false),
                    LastLoss = table.Column<double>(type: "REAL", nullable: true),
                    BestValDice = table.Column<double>(type: "REAL", nullable: true),
                    FinalValDice = table.Column<double>(type: "REAL", nullable: true),
                    BestCheckpointPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    LastCheckpointPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    RunFolder = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ErrorText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ClonedFromRunId = table.Column<int>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Step = table.Column<long>(type: "INTEGER", nullable: true)
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
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Step = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Loss = table.Column<double>(type: "REAL", nullable: false),
                    Lr = table.Column<double>(type: "REAL", nullable: false),
                    SamplesPerSecond = table.Column<float>(type: "REAL", nullable: false),
                    DataWaitFraction = table.Column<float>(type: "REAL", nullable: false),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    ValDice = table.Column<double>(type: "REAL", nullable: true),
                    ValDiceJson = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
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
