using System.Globalization;

namespace MedSeg.Web.Bench;

/// <summary>
/// Command line: <c>[server] --watchers 100 --steps-per-second 20 --seconds 20</c>, the child's <c>watchers</c> mode, or
/// <c>upload --cases 40 --size 128,128,64</c> (downstream archive upload + import), or <c>benchmarks --methods 50</c>
/// (benchmark protocol pages with methods × 4 budgets × 5 seeds cells), or <c>scale --runs 10000 --steps 1000 --points 100000
/// --provider sqlite|postgres|both [--postgres CONN]</c> (every list page, the dashboard and a live run page at lab scale).
/// </summary>
public sealed class BenchArguments
{
    public string Mode { get; private set; } = "server";
    public int Watchers { get; private set; } = 100;
    public double StepsPerSecond { get; private set; } = 20;
    public double Seconds { get; private set; } = 20;
    public string Url { get; private set; } = "";
    public string Cookie { get; private set; } = "";
    public int RunId { get; private set; }
    public long TotalSteps { get; private set; }
    public int Cases { get; private set; } = 40;
    public int[] Size { get; private set; } = [128, 128, 64];
    public int Methods { get; private set; } = 50;
    public int Runs { get; private set; } = 10_000;
    public int StepsPerRun { get; private set; } = 1_000;
    public int LivePoints { get; private set; } = 100_000;
    public string Provider { get; private set; } = "both";
    public string? Postgres { get; private set; }
    public int Repeats { get; private set; } = 3;

    public static BenchArguments Parse(string[] args)
    {
        var a = new BenchArguments();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)) a.Mode = args[i++];
        if (a.Mode is not ("server" or "watchers" or "upload" or "benchmarks" or "scale"))
            throw new ArgumentException($"Unknown mode '{a.Mode}': expected server, watchers, upload, benchmarks or scale.");
        for (; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) throw new ArgumentException($"Option '{args[i]}' needs a value.");
            var v = args[i + 1];
            var c = CultureInfo.InvariantCulture;
            switch (args[i])
            {
                case "--watchers": a.Watchers = Positive(int.Parse(v, c), args[i]); break;
                case "--steps-per-second": a.StepsPerSecond = Positive(double.Parse(v, c), args[i]); break;
                case "--seconds": a.Seconds = Positive(double.Parse(v, c), args[i]); break;
                case "--url": a.Url = v; break;
                case "--cookie": a.Cookie = v; break;
                case "--run": a.RunId = int.Parse(v, c); break;
                case "--total-steps": a.TotalSteps = long.Parse(v, c); break;
                case "--cases": a.Cases = Positive(int.Parse(v, c), args[i]); break;
                case "--methods": a.Methods = Math.Min(100, Positive(int.Parse(v, c), args[i])); break;
                case "--runs": a.Runs = Math.Min(100_000, Positive(int.Parse(v, c), args[i])); break;
                case "--steps": a.StepsPerRun = Math.Min(10_000, Positive(int.Parse(v, c), args[i])); break;
                case "--points": a.LivePoints = Math.Min(1_000_000, Positive(int.Parse(v, c), args[i])); break;
                case "--repeats": a.Repeats = Math.Min(20, Positive(int.Parse(v, c), args[i])); break;
                case "--postgres": a.Postgres = v; break;
                case "--provider":
                    a.Provider = v is "sqlite" or "postgres" or "both" ? v : throw new ArgumentException($"--provider: sqlite, postgres or both, got '{v}'.");
                    break;
                case "--size":
                    a.Size = [.. v.Split(',').Select(x => Positive(int.Parse(x, c), args[i]))];
                    if (a.Size.Length != 3) throw new ArgumentException($"--size needs x,y,z, got '{v}'.");
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return a;
    }

    private static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive, got {value}.");
}
