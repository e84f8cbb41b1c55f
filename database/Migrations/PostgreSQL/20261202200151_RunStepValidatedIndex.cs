using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedSeg.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class RunStepValidatedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_RunStepMetrics_Validated",
                table: "RunStepMetrics",
                columns: new[] { "RunId", "Step" },
                filter: "\"ValDice\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunStepMetrics_Validated",
                table: "RunStepMetrics");
        }
    }
}
