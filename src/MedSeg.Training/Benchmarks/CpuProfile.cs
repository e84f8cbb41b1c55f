using System.Runtime.InteropServices;
using System.Text;

namespace MedSeg.Training.Benchmarks;

/// <summary>
/// Named sections of process CPU time (user and system, all threads: libtorch's OpenMP workers included, read with
/// getrusage) and minor page faults, for `medseg predict profile`. Off by default: a section then costs one static
/// read. Sections nest; each one's figures are inclusive, and the report lists them by name with their call counts.
/// On a shared machine CPU seconds say more than wall time; page faults show time spent zeroing fresh memory.
/// The recording belongs to the async flow that turned it on, so other work in the same process (tests running in
/// parallel, the portal's runs) neither adds calls to the report nor pays for sections.
/// </summary>
public static class CpuProfile
{
    private static readonly AsyncLocal<Recorder?> _current = new();

    /// <summary>Whether sections are recorded in this async flow (the profile command turns it on).</summary>
    public static bool Enabled
    {
        get => _current.Value?.On == true;
        set => (_current.Value ??= new Recorder()).On = value;
    }

    /// <summary>Starts a section; dispose to end it. Costs nothing measurable when <see cref="Enabled"/> is false.</summary>
    public static Section Measure(string name) => _current.Value is { On: true } r ? new Section(r, name, Read()) : default;

    public static void Reset() => _current.Value = new Recorder { On = Enabled };

    /// <summary>One line per section, in first-seen order: calls, user s, system s, minor faults.</summary>
    public static string Report(int divideBy = 1)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{"section",-44} {"calls",7} {"user s",8} {"sys s",8} {"CPU s",8} {"faults",9}   (per {divideBy} run(s))"));
        var recorder = _current.Value ?? new Recorder();
        lock (recorder)
        {
            foreach (var name in recorder.Order)
            {
                var t = recorder.Totals[name];
                sb.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{name,-44} {t.Calls / divideBy,7} {t.User / divideBy,8:F3} {t.System / divideBy,8:F3} {(t.User + t.System) / divideBy,8:F3} {t.Faults / divideBy,9}"));
            }
        }
        return sb.ToString();
    }

    private static Sample Read()
    {
        getrusage(0, out var u); // RUSAGE_SELF: every thread of the process
        return new Sample(u.UserSec + u.UserUsec / 1e6, u.SysSec + u.SysUsec / 1e6, u.MinorFaults);
    }

    private static void Add(Recorder recorder, string name, Sample start, Sample end)
    {
        lock (recorder)
        {
            if (!recorder.Totals.TryGetValue(name, out var t)) { t = new Totals(); recorder.Totals[name] = t; recorder.Order.Add(name); }
            t.Calls++;
            t.User += end.User - start.User;
            t.System += end.System - start.System;
            t.Faults += end.Faults - start.Faults;
        }
    }

    public readonly struct Section : IDisposable
    {
        private readonly Recorder? _recorder;
        private readonly string? _name;
        private readonly Sample _start;

        internal Section(Recorder recorder, string name, Sample start) { _recorder = recorder; _name = name; _start = start; }

        public void Dispose()
        {
            if (_recorder is not null) Add(_recorder, _name!, _start, Read());
        }
    }

    internal readonly record struct Sample(double User, double System, long Faults);

    /// <summary>One profile's sections, in first-seen order.</summary>
    internal sealed class Recorder
    {
        public bool On;
        public readonly Dictionary<string, Totals> Totals = new(StringComparer.Ordinal);
        public readonly List<string> Order = [];
    }

    internal sealed class Totals
    {
        public long Calls;
        public double User, System;
        public long Faults;
    }

    // struct rusage on 64-bit Linux: two timevals, then 14 longs (ru_minflt is the 5th of them).
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SysSec, SysUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinorFaults, MajorFaults, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);
}
