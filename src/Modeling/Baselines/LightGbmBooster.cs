using System.Globalization;
using System.Runtime.InteropServices;

namespace Clv.Modeling.Baselines;

/// <summary>
/// A LightGBM booster trained on a dense matrix in this process, freed with the object (or by the finalizer of its
/// handle when it is not disposed).
/// </summary>
internal sealed class LightGbmBooster : SafeHandle
{
    private LightGbmBooster()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>Trains <paramref name="iterationCount"/> trees on row-major <paramref name="features"/> and their labels.</summary>
    /// <param name="features">Row-major, <c>[labels.Length, columnCount]</c>.</param>
    /// <param name="columnCount">Features per row.</param>
    /// <param name="labels">The target of each row.</param>
    /// <param name="parameters">LightGBM parameters, <c>key=value</c> separated by spaces, for the dataset and the booster.</param>
    /// <param name="iterationCount">Boosting rounds (trees).</param>
    /// <exception cref="InvalidOperationException">LightGBM rejected the data or the parameters.</exception>
    /// <exception cref="PlatformNotSupportedException">LightGBM's native library is not there for this platform.</exception>
    public static unsafe LightGbmBooster Train(ReadOnlySpan<float> features, int columnCount, ReadOnlySpan<float> labels, string parameters, int iterationCount)
    {
        if (features.Length != labels.Length * columnCount)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {columnCount}.", nameof(features));
        }

        nint dataset;
        fixed (float* data = features)
        {
            try
            {
                LightGbmNative.Check(LightGbmNative.DatasetCreateFromMat(data, LightGbmNative.Float32, labels.Length, columnCount, 1, parameters, nint.Zero, out dataset), "LGBM_DatasetCreateFromMat");
            }
            catch (DllNotFoundException ex)
            {
                throw new PlatformNotSupportedException(
                    $"LightGBM's native library (lib_lightgbm) could not be loaded: the LightGBM package ships it for linux-x64, osx-x64 and win-x64, and this process runs on {RuntimeInformation.RuntimeIdentifier}.",
                    ex);
            }
        }

        try
        {
            fixed (float* label = labels)
            {
                LightGbmNative.Check(LightGbmNative.DatasetSetField(dataset, "label", label, labels.Length, LightGbmNative.Float32), "LGBM_DatasetSetField");
            }

            var booster = new LightGbmBooster();
            LightGbmNative.Check(LightGbmNative.BoosterCreate(dataset, parameters, out var created), "LGBM_BoosterCreate");
            booster.SetHandle(created);
            for (var i = 0; i < iterationCount; i++)
            {
                LightGbmNative.Check(LightGbmNative.BoosterUpdateOneIter(booster.handle, out var finished), "LGBM_BoosterUpdateOneIter");
                if (finished != 0)
                {
                    // No split gains anything any more: later rounds would add empty trees.
                    break;
                }
            }

            return booster;
        }
        finally
        {
            LightGbmNative.DatasetFree(dataset);
        }
    }

    /// <summary>The sum of the trees for every row of row-major <paramref name="features"/>.</summary>
    /// <exception cref="InvalidOperationException">LightGBM rejected the data.</exception>
    public unsafe double[] Predict(ReadOnlySpan<float> features, int columnCount, int threadCount)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var rowCount = features.Length / columnCount;
        var result = new double[rowCount];
        if (rowCount == 0)
        {
            return result;
        }

        var parameters = string.Create(CultureInfo.InvariantCulture, $"num_threads={Math.Max(1, threadCount)}");
        fixed (float* data = features)
        fixed (double* output = result)
        {
            LightGbmNative.Check(
                LightGbmNative.BoosterPredictForMat(handle, data, LightGbmNative.Float32, rowCount, columnCount, 1, LightGbmNative.PredictNormal, 0, -1, parameters, out var length, output),
                "LGBM_BoosterPredictForMat");
            if (length != rowCount)
            {
                throw new InvalidOperationException($"LightGBM returned {length} predictions for {rowCount} rows.");
            }
        }

        return result;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => LightGbmNative.BoosterFree(handle) == 0;
}
