namespace MedSeg.Cli.Commands;

/// <summary>
/// Runs a training run on a foreground thread. On Ctrl+C System.CommandLine cancels the token but returns from
/// Main after its short termination timeout; a foreground thread keeps the process alive until the interrupt
/// checkpoint and status.json are written, so `--resume` continues exactly. <paramref name="report"/> runs on that
/// thread too (the awaiting caller may be gone after an interrupt).
/// </summary>
internal static class ForegroundRun
{
    public static Task<T> Start<T>(Func<T> work, Action<T> report)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var r = work();
                report(r);
                done.SetResult(r);
            }
            catch (Exception e) { done.SetException(e); }
        })
        { IsBackground = false, Name = "medseg-train" };
        thread.Start();
        return done.Task;
    }
}
