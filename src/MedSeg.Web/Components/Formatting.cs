namespace MedSeg.Web.Components;

public static class Formatting
{
    /// <summary>Bytes as "12.3 MB" (decimal units, as file managers show them).</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1) { value /= 1000; unit++; }
        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {units[unit]}";
    }

    public static string When(DateTime? utc) => utc is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm") : "—";

    /// <summary>A duration as "1 h 02 min", "3 min 05 s" or "12 s".</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } t || t < TimeSpan.Zero) return "—";
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours} h {t.Minutes:00} min";
        if (t.TotalMinutes >= 1) return $"{t.Minutes} min {t.Seconds:00} s";
        return $"{t.Seconds} s";
    }
}
