using MedSeg.Web.Bench;

try
{
    var options = BenchArguments.Parse(args);
    return options.Mode == "watchers" ? await WatcherClients.RunAsync(options) : await WatcherBenchmark.RunAsync(options);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
