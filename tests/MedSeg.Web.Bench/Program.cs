using MedSeg.Web.Bench;

try
{
    var options = BenchArguments.Parse(args);
    return options.Mode switch
    {
        "watchers" => await WatcherClients.RunAsync(options),
        "upload" => await UploadBenchmark.RunAsync(options),
        "benchmarks" => await BenchmarkPagesBenchmark.RunAsync(options),
        "scale" => await ScaleBenchmark.RunAsync(options),
        _ => await WatcherBenchmark.RunAsync(options),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
