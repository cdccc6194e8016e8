using System.Security.Cryptography;
using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Keys customer ids that are personal data (e-mail addresses, phone numbers) with HMAC-SHA256 under a secret, so that
/// partials, tables and logs hold a stable pseudonym instead. E-mail addresses are trimmed and lower-cased, phone numbers
/// kept to <c>+</c> and digits, before hashing; the pseudonym is <c>h:</c> and 32 lower-case hex digits (128 bits).
/// </summary>
/// <remarks>The same secret gives the same pseudonym on every host; the tool and the HTTP lookup hash a raw e-mail the same way.</remarks>
public sealed class CustomerIdHasher
{
    /// <summary>Bytes of a pseudonym: <c>h:</c> and 32 hex digits.</summary>
    public const int PseudonymLength = 34;

    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinKeyBytes = 16;

    private const int MaxIdBytes = 320;
    private readonly byte[] _key;

    /// <summary>A hasher under <paramref name="secret"/> (UTF-8; at least <see cref="MinKeyBytes"/> bytes).</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinKeyBytes"/> bytes.</exception>
    public CustomerIdHasher(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        if (_key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"the customer id key must be at least {MinKeyBytes} bytes long (e.g. 32 random bytes in base64).", nameof(secret));
        }
    }

    /// <summary>Whether <paramref name="id"/> looks like an e-mail address (has an <c>@</c>) or an international phone number (<c>+</c> then digits).</summary>
    public static bool IsPersonal(ReadOnlySpan<byte> id)
    {
        id = id.Trim((byte)' ');
        if (id.Contains((byte)'@'))
        {
            return true;
        }

        if (id.Length < 8 || id[0] != (byte)'+')
        {
            return false;
        }

        var digits = 0;
        foreach (var c in id[1..])
        {
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                digits++;
            }
            else if (c is not ((byte)' ' or (byte)'-' or (byte)'(' or (byte)')' or (byte)'.'))
            {
                return false;
            }
        }

        return digits >= 7;
    }

    /// <summary>Whether <paramref name="id"/> is text this hasher produced.</summary>
    public static bool IsPseudonym(ReadOnlySpan<char> id) => id.Length == PseudonymLength && id.StartsWith("h:", StringComparison.Ordinal);

    /// <summary>The pseudonym of <paramref name="id"/>, written to <paramref name="destination"/> (at least <see cref="PseudonymLength"/> bytes).</summary>
    /// <returns>The bytes written (<see cref="PseudonymLength"/>).</returns>
    public int Hash(ReadOnlySpan<byte> id, Span<byte> destination)
    {
        id = id.Trim((byte)' ');
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (id.Length > MaxIdBytes)
        {
            HMACSHA256.HashData(_key, id, mac);
        }
        else
        {
            Span<byte> canonical = stackalloc byte[MaxIdBytes];
            var length = Canonicalize(id, canonical);
            HMACSHA256.HashData(_key, canonical[..length], mac);
        }

        destination[0] = (byte)'h';
        destination[1] = (byte)':';
        for (var i = 0; i < 16; i++)
        {
            destination[2 + (2 * i)] = Hex(mac[i] >> 4);
            destination[3 + (2 * i)] = Hex(mac[i] & 0xF);
        }

        return PseudonymLength;
    }

    /// <summary>The pseudonym of <paramref name="id"/> as text; an id that is already a pseudonym, or not personal, is returned as it is.</summary>
    public string Key(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var utf8 = Encoding.UTF8.GetBytes(id);
        if (IsPseudonym(id) || !IsPersonal(utf8))
        {
            return id;
        }

        Span<byte> pseudonym = stackalloc byte[PseudonymLength];
        Hash(utf8, pseudonym);
        return Encoding.ASCII.GetString(pseudonym);
    }

    /// <inheritdoc/>
    public override string ToString() => "CustomerIdHasher (HMAC-SHA256, key hidden)";

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>E-mail addresses lower-cased (ASCII); phone numbers reduced to <c>+</c> and digits.</summary>
    private static int Canonicalize(ReadOnlySpan<byte> id, Span<byte> destination)
    {
        var phone = id.Length > 0 && id[0] == (byte)'+' && !id.Contains((byte)'@');
        var written = 0;
        foreach (var c in id)
        {
            if (phone)
            {
                if (c is (byte)'+' or (>= (byte)'0' and <= (byte)'9'))
                {
                    destination[written++] = c;
                }
            }
            else
            {
                destination[written++] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
            }
        }

        return written;
    }
}
