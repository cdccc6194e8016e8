using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;

namespace Clv.Benchmarks;

/// <summary>
/// <c>featurize generate PATH BYTES [SEED]</c> writes a synthetic export of about BYTES bytes;
/// <c>featurize run PATH [REPEATS]</c> featurizes PATH into weekly partials and prints one JSON line with the best
/// repeat's MB/s and rows/s and the process's peak memory.
/// </summary>
internal static class FeaturizeBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "generate")
        {
            var clock = Stopwatch.StartNew();
            var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
            var summary = SyntheticExportGenerator.WriteFile(args[1], new SyntheticExportOptions { TargetBytes = long.Parse(args[2], CultureInfo.InvariantCulture), Seed = seed });
            Console.WriteLine(JsonSerializer.Serialize(new { summary.Customers, summary.Rows, summary.DirtyRows, summary.Bytes, seconds = clock.Elapsed.TotalSeconds }));
            return 0;
        }

        if (args.Length >= 2 && args[0] == "run")
        {
            var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
            IngestSummary? best = null;
            var cells = 0;
            var bestCpu = double.MaxValue;
            using var process = Process.GetCurrentProcess();
            for (var r = 0; r < repeats; r++)
            {
                using var file = new FileStream(args[1], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var result = ExportFeaturizer.Featurize(file, Path.GetFileName(args[1]), new ExportReaderOptions { MaxRejectedShare = 1 }, BucketSize.Week, null);
                process.Refresh();
                bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
                cells = result.Partials.Count;
                if (best is null || result.Summary.Elapsed < best.Elapsed)
                {
                    best = result.Summary;
                }
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = Path.GetFileName(args[1]),
                bytes = best!.Bytes,
                rows = best.Rows,
                rejected = best.Rejected,
                customers = best.Customers,
                cells,
                totalSpend = Math.Round(best.TotalSpend, 2),
                seconds = best.Elapsed.TotalSeconds,
                megabytesPerSecond = best.MegabytesPerSecond,
                rowsPerSecond = best.RowsPerSecond,
                cpuSeconds = bestCpu,
                megabytesPerCpuSecond = best.Bytes / 1e6 / bestCpu,
                peakWorkingSetMiB = PeakWorkingSetMiB(),
                gcHeapMiB = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,
            }));
            return 0;
        }

        Console.Error.WriteLine("usage: Clv.Benchmarks featurize generate PATH BYTES [SEED] | featurize run PATH [REPEATS]");
        return 2;
    }

    /// <summary>Peak resident set of this process (VmHWM from /proc), in MiB; the runtime's figure where /proc is absent.</summary>
    private static double PeakWorkingSetMiB()
    {
        const string Status = "/proc/self/status";
        if (File.Exists(Status))
        {
            foreach (var line in File.ReadLines(Status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }
}
