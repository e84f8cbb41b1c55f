using MedSeg.Cli;

return await MedSegCommand.Build().Parse(args).InvokeAsync();
