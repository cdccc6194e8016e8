using System.Runtime.Intrinsics;

namespace Clv.Benchmarks;

/// <summary>Prints what the benchmark figures depend on: cores and SIMD support.</summary>
internal static class MachineInfo
{
    public static int Run(string[] args)
    {
        Console.WriteLine($"runtime {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, cores {Environment.ProcessorCount}, Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}");
        return 0;
    }
}
