using Clv.Functions;
using Microsoft.Extensions.Hosting;

// Build, register, run: all wiring is ClvFunctionsApp (options validated there, naming a bad setting).
await ClvFunctionsApp.Build(args).RunAsync().ConfigureAwait(false);
