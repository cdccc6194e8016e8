using System.Runtime.InteropServices;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The few entry points of LightGBM's C API (<c>c_api.h</c>, from the <c>LightGBM</c> package's native library) that
/// the gbm baseline uses: a dataset from a dense row-major matrix, a booster trained on it, predictions for a matrix.
/// </summary>
/// <remarks>
/// LightGBM ships no managed binding of its own; ML.NET's wraps the same library but builds its data by reflection,
/// which a natively compiled <c>clv</c> cannot run. Every call returns 0 or -1; <see cref="Check"/> turns -1 into an
/// exception carrying <c>LGBM_GetLastError</c>'s message.
/// </remarks>
internal static unsafe partial class LightGbmNative
{
    /// <summary><c>C_API_DTYPE_FLOAT32</c>.</summary>
    public const int Float32 = 0;

    /// <summary><c>C_API_PREDICT_NORMAL</c>: the raw sum of the trees for regression.</summary>
    public const int PredictNormal = 0;

    private const string Library = "lib_lightgbm";

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(float* data, int dataType, int rowCount, int columnCount, int isRowMajor, string parameters, nint reference, out nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(nint dataset, string fieldName, float* fieldData, int elementCount, int dataType);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(nint trainData, string parameters, out nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(nint booster, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterPredictForMat(
        nint booster, float* data, int dataType, int rowCount, int columnCount, int isRowMajor, int predictType, int startIteration, int iterationCount, string parameters, out long resultLength, double* result);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial nint GetLastError();

    /// <summary>Throws with LightGBM's own message when <paramref name="result"/> is not 0.</summary>
    /// <exception cref="InvalidOperationException">LightGBM reported an error.</exception>
    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"LightGBM {call} failed: {Marshal.PtrToStringUTF8(GetLastError())}");
        }
    }
}
