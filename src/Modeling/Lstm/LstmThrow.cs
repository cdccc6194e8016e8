using System.Diagnostics.CodeAnalysis;

namespace Clv.Modeling.Lstm;

/// <summary>Throw helpers of the LSTM kernels; messages name the bad value and the valid range.</summary>
internal static class LstmThrow
{
    [DoesNotReturn]
    public static void LengthOutOfRange(int row, int length, int steps) =>
        throw new ArgumentOutOfRangeException("lengths", length, $"Sequence {row} has length {length}; lengths must be in 1..{steps}.");

    [DoesNotReturn]
    public static void SizeMismatch(string name, long actual, long expected) =>
        throw new ArgumentException($"'{name}' has {actual} values; {expected} expected.", name);
}
