namespace MedSeg.Web.Tests.Database;

/// <summary>
/// A fact that needs the test PostgreSQL server. It is skipped (with this reason) only when
/// <see cref="Variable"/> is unset; when set, the test runs and fails if the server is unreachable.
/// deploy/test.sh starts the server (deploy/start-test-postgres.sh) and sets the variable.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "MEDSEG_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"{Variable} is not set: no test PostgreSQL server (deploy/test.sh starts one with deploy/start-test-postgres.sh).";
    }
}
