using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clv.Modeling.Features;

/// <summary>
/// Allocates the large arrays that featurizing fills right away (cells, customers, hash tables, output columns) and, on
/// Linux, advises the kernel to back them with transparent huge pages. Filling fresh memory page-faults once per 4 KiB
/// page; on virtual machines a fault costs 10-25 us (see <c>bench/run.sh featurize</c>, which measures it), so a
/// gigabyte costs seconds. One 2 MiB page replaces 512 faults and relieves the TLB on random access. Where the advice
/// is unavailable (other systems, huge pages disabled) the arrays are ordinary arrays.
/// </summary>
internal static partial class LargeArray
{
    private const int HugePageBytes = 2 << 20;
    private const int AdviseHugePage = 14;
    private static bool s_adviceUnavailable = !OperatingSystem.IsLinux();

    /// <summary>An array whose elements are garbage until written.</summary>
    public static T[] Uninitialized<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// An array of zeros. The runtime zeroes only memory that was used before; fresh memory from the system is zero
    /// untouched, and is then faulted in, as huge pages, by the caller's first writes.
    /// </summary>
    public static T[] Zeroed<T>(int length)
    {
        var array = new T[length];
        AdviseHugePages(array);
        return array;
    }

    private static unsafe void AdviseHugePages<T>(T[] array)
    {
        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (s_adviceUnavailable || bytes < 2L * HugePageBytes)
        {
            return;
        }

        // Only whole 2 MiB pages inside the array are advised; the address is a hint, so an array that moves is harmless.
        var start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var first = (start + HugePageBytes - 1) & ~(nint)(HugePageBytes - 1);
        var end = (start + (nint)bytes) & ~(nint)(HugePageBytes - 1);
        if (end <= first)
        {
            return;
        }

        try
        {
            _ = Madvise(first, (nuint)(end - first), AdviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_adviceUnavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
