using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Parses decimal numbers from UTF-8 bytes. Hand-written because <see cref="Utf8Parser"/> has no decimal-comma mode and
/// the common shape (sign, up to 15 digits, a separator) is parsed here exactly in one division; other shapes
/// (exponents, long mantissas) fall back to <see cref="Utf8Parser"/>.
/// </summary>
internal static class Utf8Number
{
    private const int MaxFastDigits = 15;

    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses the whole of <paramref name="text"/> as a finite number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, bool decimalComma, out double value)
    {
        var separator = decimalComma ? (byte)',' : (byte)'.';
        var pos = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            pos = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenSeparator = false;
        var sawDigit = false;
        for (; pos < text.Length; pos++)
        {
            var c = text[pos];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                sawDigit = true;
                if (mantissa != 0 || d != 0)
                {
                    digits++;
                }

                mantissa = (mantissa * 10) + d;
                if (seenSeparator)
                {
                    fractionDigits++;
                }

                if (digits > MaxFastDigits)
                {
                    return Slow(text, decimalComma, out value);
                }
            }
            else if (c == separator && !seenSeparator)
            {
                seenSeparator = true;
            }
            else
            {
                return Slow(text, decimalComma, out value);
            }
        }

        if (!sawDigit)
        {
            value = 0;
            return false;
        }

        if (fractionDigits >= PowersOf10.Length)
        {
            return Slow(text, decimalComma, out value);
        }

        value = mantissa / PowersOf10[fractionDigits];
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> text, bool decimalComma, out double value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 64)
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[text.Length];
        text.CopyTo(copy);
        if (decimalComma)
        {
            if (copy.Contains((byte)'.'))
            {
                return false;
            }

            copy.Replace((byte)',', (byte)'.');
        }
        else if (copy.Contains((byte)','))
        {
            return false;
        }

        return Utf8Parser.TryParse(copy, out value, out var consumed) && consumed == copy.Length && double.IsFinite(value);
    }
}
