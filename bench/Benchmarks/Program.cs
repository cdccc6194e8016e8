using Clv.Benchmarks;

return BenchmarkCatalog.Run(args);
