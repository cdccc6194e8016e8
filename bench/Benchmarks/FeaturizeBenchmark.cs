using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;

namespace Clv.Benchmarks;

/// <summary>
/// <c>featurize generate PATH BYTES [SEED]</c> writes a synthetic export of about BYTES bytes;
/// <c>featurize run PATH [REPEATS]</c> featurizes PATH into weekly partials REPEATS times in one process and prints one
/// JSON line with the best repeat's MB/s and rows/s (the steady state of a host that featurizes export after export),
/// the first repeat's (a fresh process, whose memory is all new), and the process's peak memory;
/// <c>featurize fresh-memory</c> measures the cost of touching fresh memory on this machine.
/// </summary>
internal static class FeaturizeBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "generate")
        {
            var clock = Stopwatch.StartNew();
            var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
            var summary = SyntheticExportGenerator.WriteFile(args[1], new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, TargetBytes = long.Parse(args[2], CultureInfo.InvariantCulture), Seed = seed });
            Console.WriteLine(JsonSerializer.Serialize(new { summary.Customers, summary.Rows, summary.DirtyRows, Bytes = summary.TextBytes, seconds = clock.Elapsed.TotalSeconds }));
            return 0;
        }

        if (args.Length >= 2 && args[0] == "run")
        {
            var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
            IngestSummary? best = null;
            IngestSummary? first = null;
            var cells = 0;
            var bestCpu = double.MaxValue;
            var firstCpu = 0.0;
            using var process = Process.GetCurrentProcess();
            for (var r = 0; r < repeats; r++)
            {
                using var file = new FileStream(args[1], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var result = ExportFeaturizer.Featurize(file, Path.GetFileName(args[1]), new ExportReaderOptions { MaxRejectedShare = 1 }, BucketSize.Week, null);
                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                bestCpu = Math.Min(bestCpu, cpu);
                cells = result.Partials.Count;
                if (first is null)
                {
                    first = result.Summary;
                    firstCpu = cpu;
                }

                if (best is null || result.Summary.Elapsed < best.Elapsed)
                {
                    best = result.Summary;
                }
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = Path.GetFileName(args[1]),
                bytes = best!.TextBytes,
                rows = best.Rows,
                rejected = best.Rejected,
                customers = best.Customers,
                cells,
                totalSpend = Math.Round(best.TotalSpend, 2),
                repeats,
                seconds = best.Elapsed.TotalSeconds,
                megabytesPerSecond = best.MegabytesPerSecond,
                rowsPerSecond = best.RowsPerSecond,
                cpuSeconds = bestCpu,
                megabytesPerCpuSecond = best.TextBytes / 1e6 / bestCpu,
                firstSeconds = first!.Elapsed.TotalSeconds,
                firstMegabytesPerSecond = first.MegabytesPerSecond,
                firstCpuSeconds = firstCpu,
                peakWorkingSetMiB = PeakWorkingSetMiB(),
                gcHeapMiB = GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,
            }));
            return 0;
        }

        if (args.Length == 1 && args[0] == "fresh-memory")
        {
            Console.WriteLine(JsonSerializer.Serialize(new { freshPageMicroseconds = FreshPageMicroseconds() }));
            return 0;
        }

        Console.Error.WriteLine("usage: Clv.Benchmarks featurize generate PATH BYTES [SEED] | featurize run PATH [REPEATS] | featurize fresh-memory");
        return 2;
    }

    /// <summary>
    /// What the machine charges for the first touch of a 4 KiB page of fresh memory, in microseconds: featurizing a large
    /// export touches about a gigabyte of new memory in its first run, and on virtual machines that cost is not small.
    /// </summary>
    private static double FreshPageMicroseconds()
    {
        const int Bytes = 128 << 20;
        const int Page = 4096;
        var memory = GC.AllocateUninitializedArray<byte>(Bytes);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Bytes; i += Page)
        {
            memory[i] = 1;
        }

        var elapsed = clock.Elapsed.TotalMicroseconds;
        GC.KeepAlive(memory);
        return elapsed / (Bytes / Page);
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
