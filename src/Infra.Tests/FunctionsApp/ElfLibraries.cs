using System.Text;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// The shared libraries a 64-bit little-endian ELF file names as <c>DT_NEEDED</c> (what <c>readelf -d</c> lists), read
/// from its dynamic section. Written here because no .NET package reads ELF files; it handles only what the
/// x86-64 native libraries of the GPU build need.
/// </summary>
public static class ElfLibraries
{
    private const uint DynamicSegment = 2;
    private const long NeededTag = 1;
    private const long StringTableTag = 5;

    /// <summary>The <c>DT_NEEDED</c> names of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<string> Needed(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file);
        var ident = reader.ReadBytes(16);
        if (ident[0] != 0x7F || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F' || ident[4] != 2 || ident[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        file.Position = 0x20;
        var programHeaders = reader.ReadInt64();
        file.Position = 0x36;
        var programHeaderSize = reader.ReadUInt16();
        var programHeaderCount = reader.ReadUInt16();

        var loads = new List<(long Virtual, long Offset, long Size)>();
        (long Offset, long Size) dynamic = default;
        for (var i = 0; i < programHeaderCount; i++)
        {
            file.Position = programHeaders + ((long)i * programHeaderSize);
            var type = reader.ReadUInt32();
            reader.ReadUInt32();
            var offset = reader.ReadInt64();
            var virtualAddress = reader.ReadInt64();
            reader.ReadInt64();
            var fileSize = reader.ReadInt64();
            if (type == 1)
            {
                loads.Add((virtualAddress, offset, fileSize));
            }
            else if (type == DynamicSegment)
            {
                dynamic = (offset, fileSize);
            }
        }

        var entries = new List<(long Tag, long Value)>();
        for (var at = dynamic.Offset; at + 16 <= dynamic.Offset + dynamic.Size; at += 16)
        {
            file.Position = at;
            var tag = reader.ReadInt64();
            var value = reader.ReadInt64();
            if (tag == 0)
            {
                break;
            }

            entries.Add((tag, value));
        }

        var stringTableAddress = entries.Single(e => e.Tag == StringTableTag).Value;
        var segment = loads.Single(l => stringTableAddress >= l.Virtual && stringTableAddress < l.Virtual + l.Size);
        var stringTable = segment.Offset + (stringTableAddress - segment.Virtual);
        return entries.Where(e => e.Tag == NeededTag).Select(e => ReadString(file, stringTable + e.Value)).ToList();
    }

    private static string ReadString(FileStream file, long position)
    {
        file.Position = position;
        var bytes = new List<byte>();
        for (var b = file.ReadByte(); b > 0; b = file.ReadByte())
        {
            bytes.Add((byte)b);
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }
}
