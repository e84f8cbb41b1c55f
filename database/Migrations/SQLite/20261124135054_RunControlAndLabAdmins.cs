using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunControlAndLabAdmins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestedAction",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LabAdmins",
                columns: table => new
                {
                    LabId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LabAdmins", x => x.LabId);
                    table.ForeignKey(
                        name: "FK_LabAdmins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LabAdmins_UserId",
                table: "LabAdmins",
                column: "UserId");

            // Installations that already have a PI keep it as the lab's administrator (same SQL on SQLite and PostgreSQL).
            migrationBuilder.Sql("""
                INSERT INTO "LabAdmins" ("LabId", "UserId", "ClaimedAt")
                SELECT u."LabId", MIN(u."Id"), CURRENT_TIMESTAMP
                FROM "AspNetUsers" u
                JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id"
                JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                WHERE r."Name" = 'PI'
                GROUP BY u."LabId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LabAdmins");

            migrationBuilder.DropColumn(
                name: "RequestedAction",
                table: "TrainingRuns");
        }
    }
}
