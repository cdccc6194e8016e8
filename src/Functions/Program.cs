using Clv.Pipeline.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Build, register, run: all wiring is AddClvPipeline (options validated here, naming a bad setting).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddClvPipeline(builder.Configuration);
builder.Services.AddClvModeling();
builder.Services.AddClvTelemetry();

await builder.Build().RunAsync().ConfigureAwait(false);
