using System.Runtime;

namespace Clv.Modeling.Features;

/// <summary>Returns the large arrays of a finished unit of work (an export, a compaction or scoring message, a training phase) to the heap at once.</summary>
/// <remarks>
/// Featurizing one export allocates a few hundred MB of large arrays (the cells, the sorted columns, the Parquet
/// writer's buffers), and compacting one partial its parts and row groups; all of it is garbage when the work ends. The
/// runtime collects the large-object heap only after an allocation budget that it sizes from the heap it last saw, so on
/// an instance that handles export after export that garbage piled up and the peak working set grew with the number of
/// exports processed (featurize: about 1.0 GB after 5 exports, 1.8 GB after 14, with under 20 MB surviving each
/// collection). One compacting collection per unit of work (a pause of well under a second against its seconds of work)
/// keeps the peak at what the work in flight needs. Compacting, large objects included: a sweep alone left the freed
/// space fragmented between the arrays of the work still in flight, and the peak still crept up. Training drops a
/// phase's example blocks (a fold's rolling-origin examples, its held-out and calibration sets, the deployed model's
/// examples: hundreds of MB) before the next phase allocates its own, and collects here too, so that its peak holds
/// one phase's examples. A Flex Consumption instance has a hard memory ceiling; none of this changes a result.
/// </remarks>
public static class LargeObjectGarbage
{
    /// <summary>Collects every generation now, compacting the large-object heap once.</summary>
    public static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
