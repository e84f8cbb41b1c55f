using System.CommandLine;
using MedSeg.Training.FineTune;

namespace MedSeg.Cli.Commands;

/// <summary>
/// `medseg compare RUNDIR...`: one row per fine-tuning run (its init) from evaluation.json — Dice per organ,
/// mean Dice, mean ASSD — a leaderboard of what pretraining buys.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Fine-tuning run folders (or evaluation.json files).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("compare", "Compare fine-tuning runs from their evaluation.json (paper-style table).") { runs };
        command.SetAction(parseResult => CommandFailures.Run(parseResult, writer =>
        {
            var loaded = new List<(string Run, FineTuneEvaluation E)>();
            foreach (var run in parseResult.GetValue(runs) ?? [])
            {
                try { loaded.Add((run, FineTuneEvaluation.Read(run))); }
                catch (InvalidDataException e) { throw new UsageException(e.Message); }
            }
            var organs = loaded.SelectMany(l => l.E.MeanPerClass).Select(c => (c.Label, c.Name)).Distinct().OrderBy(c => c.Label).ToList();
            var header = new[] { "run", "init" }.Concat(organs.Select(o => o.Name)).Concat(["mean Dice", "mean ASSD mm", "split"]).ToList();
            var rows = loaded.Select(l => new[] { Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(l.Run))), l.E.Init + (l.E.EncoderOnly ? " (encoder)" : "") }
                    .Concat(organs.Select(o => l.E.MeanPerClass.FirstOrDefault(c => c.Label == o.Label) is { } s ? EvaluationTable.Num(s.Dice, "F3") : "-"))
                    .Concat([EvaluationTable.Num(l.E.MeanDice, "F4"), EvaluationTable.Num(l.E.MeanAssd, "F2"), $"{l.E.Split} ({l.E.Cases.Count})"]).ToList())
                .ToList();
            writer.WriteLine("Dice per organ (mean over cases), mean Dice and mean ASSD (mm):");
            EvaluationTable.Print(writer, header, rows);
            return 0;
        }));
        return command;
    }
}
