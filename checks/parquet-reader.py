#!/usr/bin/env python3
"""A small Parquet reader for flat files, in the Python 3 standard library only.

Written from the Apache Parquet format specification (parquet.thrift) and the Thrift compact
protocol specification, as an independent check of files written by other tools. It reads what
a flat table needs and refuses everything else with a ParquetError that names the feature:

  layout     flat schemas only (REQUIRED or OPTIONAL leaf columns under the root), any number
             of row groups; no nesting, no repetition, no encryption, no external column files
  pages      DICTIONARY_PAGE, DATA_PAGE (v1) and DATA_PAGE_V2
  codecs     UNCOMPRESSED, SNAPPY, GZIP
  encodings  PLAIN (BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY),
             PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (BOOLEAN values, definition levels)

Values come back as Python lists, None for nulls: BYTE_ARRAY annotated STRING (or UTF8) as str,
INT32 annotated DATE as datetime.date, other byte arrays as bytes, and every other type as its
physical value (the annotation is reported in the metadata, not applied).

The reader checks what the format lets it check and raises instead of returning doubtful data:
magic bytes, footer bounds, that the footer decodes to exactly its declared length, page sizes
before and after decompression, the page CRC where the writer stored one, value counts of
pages, chunks and row groups, dictionary indexes, that each page's values fill it exactly, and
that column chunk statistics (null count, min and max) agree with the values.

  module:  read(path) -> (metadata, {column name: [values]})
  script:  python3 parquet-reader.py FILE   (prints a JSON summary)
"""

import datetime
import json
import os
import struct
import sys
import zlib

__all__ = ["ParquetError", "read", "read_metadata", "summary"]


class ParquetError(Exception):
    """The file is not valid Parquet, or uses a feature this reader does not support."""


# ---------------------------------------------------------------------------------------------
# Enumerations of parquet.thrift

TYPES = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
REPETITIONS = ["REQUIRED", "OPTIONAL", "REPEATED"]
CONVERTED_TYPES = [
    "UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS",
    "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32", "UINT_64", "INT_8",
    "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL",
]
ENCODINGS = {
    0: "PLAIN", 1: "GROUP_VAR_INT", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED",
    5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY",
    8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT",
}
CODECS = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
PAGE_TYPES = ["DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE", "DATA_PAGE_V2"]
# LogicalType is a union; the field id says which member is set.
LOGICAL_TYPES = {
    1: "STRING", 2: "MAP", 3: "LIST", 4: "ENUM", 5: "DECIMAL", 6: "DATE", 7: "TIME", 8: "TIMESTAMP",
    10: "INTEGER", 11: "UNKNOWN", 12: "JSON", 13: "BSON", 14: "UUID", 15: "FLOAT16",
    16: "VARIANT", 17: "GEOMETRY", 18: "GEOGRAPHY",
}
TIME_UNITS = {1: "MILLIS", 2: "MICROS", 3: "NANOS"}

EPOCH = datetime.date(1970, 1, 1)
MAGIC = b"PAR1"


def _name(table, value, what, where=None):
    """The name of an enum value, or a clear error for a value the specification does not define."""
    try:
        if isinstance(table, dict):
            return table[value]
        if value < 0:
            raise IndexError(value)
        return table[value]
    except (KeyError, IndexError, TypeError):
        raise ParquetError(f"{where + ': ' if where else ''}unknown {what} {value!r}") from None


# ---------------------------------------------------------------------------------------------
# Thrift compact protocol
#
# A struct is a sequence of fields ended by a zero byte (STOP). Each field starts with a byte
# whose high nibble is the field id minus the previous field id (1..15) and whose low nibble is
# the type; a zero high nibble means the id follows as a zigzag varint. Booleans carry their value
# in the type nibble (1 true, 2 false) and have no payload. Integers are zigzag varints, doubles
# 8 little-endian bytes, binaries a varint length and the bytes. Lists and sets start with a byte
# holding the size (high nibble, 15 meaning "varint size follows") and the element type.
#
# The decoder below is generic: a struct becomes {field id: value}, so fields this reader does not
# know (added by later versions of the format) are read past correctly and ignored.

CT_STOP, CT_TRUE, CT_FALSE, CT_BYTE, CT_I16, CT_I32, CT_I64, CT_DOUBLE, CT_BINARY, CT_LIST, CT_SET, CT_MAP, CT_STRUCT = range(13)
MAX_NESTING = 64


class ThriftReader:
    def __init__(self, data, pos=0, end=None, what="thrift"):
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.what = what

    def _fail(self, message):
        raise ParquetError(f"{self.what}: {message} at byte {self.pos}")

    def byte(self):
        if self.pos >= self.end:
            self._fail("truncated")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self):
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                self._fail("varint longer than 10 bytes")

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, length):
        if length < 0 or self.pos + length > self.end:
            self._fail(f"truncated ({length} bytes wanted)")
        value = bytes(self.data[self.pos:self.pos + length])
        self.pos += length
        return value

    def struct(self, depth=0):
        if depth > MAX_NESTING:
            self._fail("structs nested too deeply")
        fields = {}
        last = 0
        while True:
            header = self.byte()
            kind = header & 0x0F
            if kind == CT_STOP:
                return fields
            delta = header >> 4
            field = last + delta if delta else self.zigzag()
            last = field
            if kind == CT_TRUE or kind == CT_FALSE:
                fields[field] = kind == CT_TRUE
            else:
                fields[field] = self.value(kind, depth)

    def value(self, kind, depth):
        if kind == CT_BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if kind in (CT_I16, CT_I32, CT_I64):
            return self.zigzag()
        if kind == CT_DOUBLE:
            return struct.unpack("<d", self.take(8))[0]
        if kind == CT_BINARY:
            return self.take(self.varint())
        if kind in (CT_LIST, CT_SET):
            header = self.byte()
            size = header >> 4
            if size == 15:
                size = self.varint()
            element = header & 0x0F
            if size > self.end - self.pos:  # every element takes at least one byte
                self._fail(f"list of {size} elements overruns the data")
            if element in (CT_TRUE, CT_FALSE):
                # Booleans inside lists are one byte each: 1 is true; 0 (the specification) or 2
                # (some implementations) is false.
                values = []
                for _ in range(size):
                    b = self.byte()
                    if b not in (0, 1, 2):
                        self._fail(f"boolean list element {b}")
                    values.append(b == 1)
                return values
            return [self.value(element, depth + 1) for _ in range(size)]
        if kind == CT_MAP:
            size = self.varint()
            if size == 0:
                return {}
            types = self.byte()
            if 2 * size > self.end - self.pos:
                self._fail(f"map of {size} entries overruns the data")
            result = {}
            for _ in range(size):
                key = self.value(types >> 4, depth + 1)
                result[key] = self.value(types & 0x0F, depth + 1)
            return result
        if kind == CT_STRUCT:
            return self.struct(depth + 1)
        self._fail(f"unknown compact type {kind}")


def _text(value, what):
    if not isinstance(value, bytes):
        raise ParquetError(f"{what}: expected a string, found {type(value).__name__}")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParquetError(f"{what}: invalid UTF-8 ({error.reason})") from None


_MISSING = object()


def _field(fields, field, what, kind=int, default=_MISSING):
    """Field `field` of a decoded struct, checked to be of the Python type `kind` (thrift integers
    of every width are int, strings and binaries bytes, lists list, structs dict)."""
    if not isinstance(fields, dict):
        raise ParquetError(f"{what}: expected a struct, found {type(fields).__name__}")
    if field not in fields:
        if default is _MISSING:
            raise ParquetError(f"{what} lacks required field {field}")
        return default
    value = fields[field]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParquetError(f"{what}: field {field} is {type(value).__name__}, expected {kind.__name__}")
    return value


# ---------------------------------------------------------------------------------------------
# Footer: FileMetaData and the structures inside it

def _logical_type(union):
    """A readable form of a LogicalType union, e.g. STRING, DATE, TIMESTAMP(MICROS, utc)."""
    if union is None:
        return None
    if len(union) != 1:
        raise ParquetError(f"LogicalType union has {len(union)} members set")
    (field, body), = union.items()
    if not isinstance(body, dict):
        raise ParquetError(f"LogicalType member {field} is {type(body).__name__}, expected a struct")
    name = LOGICAL_TYPES.get(field, f"logical type #{field}")
    if field == 5:
        return f"DECIMAL({body.get(2)},{body.get(1)})"
    if field in (7, 8):
        unit = body.get(2)
        unit = TIME_UNITS.get(next(iter(unit)), "?") if isinstance(unit, dict) and len(unit) == 1 else "?"
        return f"{name}({unit}, {'utc' if body.get(1) else 'local'})"
    if field == 10:
        return f"INTEGER({body.get(1)}, {'signed' if body.get(2) else 'unsigned'})"
    return name


def _key_values(entries, what):
    result = {}
    for entry in entries:
        key = _text(_field(entry, 1, what, bytes), what)
        value = _field(entry, 2, what, bytes, None)
        result[key] = None if value is None else _text(value, f"{what} {key}")
    return result


def _schema_element(fields):
    what = "SchemaElement"
    physical = _field(fields, 1, what, int, None)
    repetition = _field(fields, 3, what, int, None)
    converted = _field(fields, 6, what, int, None)
    element = {
        "name": _text(_field(fields, 4, what, bytes), f"{what} name"),
        "type": None if physical is None else _name(TYPES, physical, "physical type"),
        "type_length": _field(fields, 2, what, int, None),
        "repetition": None if repetition is None else _name(REPETITIONS, repetition, "repetition"),
        "num_children": _field(fields, 5, what, int, None),
        "converted_type": None if converted is None else _name(CONVERTED_TYPES, converted, "converted type"),
        "logical_type": _logical_type(_field(fields, 10, what, dict, None)),
    }
    if 7 in fields or 8 in fields:
        element["scale"], element["precision"] = _field(fields, 7, what, int, None), _field(fields, 8, what, int, None)
    return element


def _column_chunk(fields):
    if _field(fields, 1, "ColumnChunk", bytes, None) is not None:
        raise ParquetError("column chunks stored in other files (ColumnChunk.file_path) are not supported")
    if 8 in fields or 9 in fields:
        raise ParquetError("encrypted columns are not supported")
    what = "ColumnMetaData"
    meta = _field(fields, 3, "ColumnChunk (meta_data)", dict)
    return {
        "path": [_text(p, f"{what} path_in_schema") for p in _field(meta, 3, what, list)],
        "type": _name(TYPES, _field(meta, 1, what), "physical type"),
        "encodings": [_name(ENCODINGS, e, "encoding") for e in _field(meta, 2, what, list)],
        "codec": _name(CODECS, _field(meta, 4, what), "compression codec"),
        "num_values": _field(meta, 5, what),
        "total_uncompressed_size": _field(meta, 6, what),
        "total_compressed_size": _field(meta, 7, what),
        "data_page_offset": _field(meta, 9, what),
        "dictionary_page_offset": _field(meta, 11, what, int, None),
        "key_value_metadata": _key_values(_field(meta, 8, what, list, []), f"{what} key_value_metadata"),
        "statistics": _statistics(_field(meta, 12, what, dict, None)),
    }


def _statistics(fields):
    """Statistics as stored: min_value / max_value (and the deprecated min / max) are single values
    in their PLAIN encoding, without the length prefix for byte arrays."""
    if fields is None:
        return None
    what = "Statistics"
    return {
        "null_count": _field(fields, 3, what, int, None),
        "min_value": _field(fields, 6, what, bytes, None),
        "max_value": _field(fields, 5, what, bytes, None),
        "is_min_value_exact": _field(fields, 8, what, bool, None),
        "is_max_value_exact": _field(fields, 7, what, bool, None),
        "min": _field(fields, 2, what, bytes, None),
        "max": _field(fields, 1, what, bytes, None),
    }


def _parse_footer(fields):
    what = "FileMetaData"
    if 8 in fields:
        raise ParquetError("encrypted files (FileMetaData.encryption_algorithm) are not supported")
    schema = [_schema_element(s) for s in _field(fields, 2, what, list)]
    groups = []
    for g in _field(fields, 4, what, list):
        groups.append({
            "num_rows": _field(g, 3, "RowGroup"),
            "total_byte_size": _field(g, 2, "RowGroup"),
            "columns": [_column_chunk(c) for c in _field(g, 1, "RowGroup", list)],
        })
    created_by = _field(fields, 6, what, bytes, None)
    orders = _field(fields, 7, what, list, None)
    if orders is not None:
        # ColumnOrder is a union whose only member so far is TypeDefinedOrder (field 1).
        orders = ["TYPE_DEFINED_ORDER" if isinstance(o, dict) and list(o) == [1] else f"unknown {o!r}" for o in orders]
    return {
        "version": _field(fields, 1, what),
        "num_rows": _field(fields, 3, what),
        "created_by": None if created_by is None else _text(created_by, "created_by"),
        "key_value_metadata": _key_values(_field(fields, 5, what, list, []), "key_value_metadata"),
        "column_orders": orders,
        "schema": schema,
        "row_groups": groups,
    }


def _check_flat(meta):
    """Checks that the schema is a root with leaf children only, and that every row group holds
    one chunk per leaf, in schema order, of the leaf's physical type."""
    schema = meta["schema"]
    if not schema:
        raise ParquetError("empty schema")
    root, leaves = schema[0], schema[1:]
    if root["num_children"] != len(leaves):
        raise ParquetError("nested schemas are not supported "
                           f"(root has {root['num_children']} children, schema has {len(leaves)} more elements)")
    for leaf in leaves:
        if leaf["num_children"]:
            raise ParquetError(f"nested schemas are not supported (group column '{leaf['name']}')")
        if leaf["type"] is None:
            raise ParquetError(f"column '{leaf['name']}' has no physical type")
        if leaf["repetition"] == "REPEATED":
            raise ParquetError(f"repeated columns are not supported ('{leaf['name']}')")
        if leaf["repetition"] is None:
            raise ParquetError(f"column '{leaf['name']}' has no repetition type")
    orders = meta["column_orders"]
    if orders is not None and len(orders) != len(leaves):
        raise ParquetError(f"{len(orders)} column orders for {len(leaves)} columns")
    for i, leaf in enumerate(leaves):
        leaf["column_order"] = None if orders is None else orders[i]
    names = [leaf["name"] for leaf in leaves]
    if len(set(names)) != len(names):
        raise ParquetError(f"duplicate column names in {names}")
    rows = 0
    for index, group in enumerate(meta["row_groups"]):
        paths = [c["path"] for c in group["columns"]]
        if paths != [[n] for n in names]:
            raise ParquetError(f"row group {index} has column chunks {paths}; schema has {names}")
        for leaf, chunk in zip(leaves, group["columns"]):
            if chunk["type"] != leaf["type"]:
                raise ParquetError(f"row group {index} column '{leaf['name']}' is {chunk['type']}; schema says {leaf['type']}")
        if group["num_rows"] < 0:
            raise ParquetError(f"row group {index} has {group['num_rows']} rows")
        rows += group["num_rows"]
    if rows != meta["num_rows"]:
        raise ParquetError(f"row groups hold {rows} rows; FileMetaData.num_rows is {meta['num_rows']}")
    return leaves


def _read_footer(data):
    """(metadata dict, offset where the footer starts) of a whole file held in memory."""
    if len(data) < 12:
        raise ParquetError(f"file of {len(data)} bytes is too short for Parquet (at least 12)")
    if data[:4] != MAGIC:
        raise ParquetError(f"bad magic at start: {bytes(data[:4])!r}, expected {MAGIC!r}")
    tail = bytes(data[-4:])
    if tail == b"PARE":
        raise ParquetError("encrypted footers (magic PARE) are not supported")
    if tail != MAGIC:
        raise ParquetError(f"bad magic at end: {tail!r}, expected {MAGIC!r} (truncated file?)")
    length = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - length
    if start < 4:
        raise ParquetError(f"footer length {length} exceeds the file ({len(data)} bytes)")
    reader = ThriftReader(data, start, len(data) - 8, "footer")
    fields = reader.struct()
    if reader.pos != reader.end:
        raise ParquetError(f"footer: FileMetaData ends at byte {reader.pos}, {reader.end - reader.pos} bytes before its declared end")
    return _parse_footer(fields), start


# ---------------------------------------------------------------------------------------------
# Decompression

def snappy_decompress(data, what="snappy"):
    """Raw Snappy (no framing): a varint uncompressed length, then literals and back-references."""
    reader = ThriftReader(data, what=what)
    expected = reader.varint()
    out = bytearray()
    pos, end = reader.pos, len(data)
    while pos < end:
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            # Literal: length-1 in the upper six bits, or in the next 1..4 bytes when they say 60..63.
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                if pos + extra > end:
                    raise ParquetError(f"{what}: truncated literal length")
                length = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            length += 1
            if pos + length > end:
                raise ParquetError(f"{what}: literal of {length} bytes overruns the input")
            out += data[pos:pos + length]
            pos += length
            continue
        if kind == 1:  # copy, 1-byte offset: length 4..11, offset 11 bits
            if pos + 1 > end:
                raise ParquetError(f"{what}: truncated copy")
            length = 4 + ((tag >> 2) & 7)
            offset = ((tag >> 5) << 8) | data[pos]
            pos += 1
        else:  # copy, 2- or 4-byte little-endian offset: length 1..64
            size = 2 if kind == 2 else 4
            if pos + size > end:
                raise ParquetError(f"{what}: truncated copy")
            length = (tag >> 2) + 1
            offset = int.from_bytes(data[pos:pos + size], "little")
            pos += size
        if offset == 0 or offset > len(out):
            raise ParquetError(f"{what}: copy offset {offset} outside the {len(out)} bytes written")
        if len(out) + length > expected:
            raise ParquetError(f"{what}: output exceeds the declared {expected} bytes")
        start = len(out) - offset
        if offset >= length:
            out += out[start:start + length]
        else:
            # Overlapping copy: the source repeats with period `offset`.
            pattern = out[start:]
            out += (pattern * (length // offset + 1))[:length]
    if len(out) != expected:
        raise ParquetError(f"{what}: decompressed {len(out)} bytes; its length preamble says {expected}")
    return bytes(out)


def _gunzip(data, what="gzip"):
    # wbits 47 = 32 + 15: accept a gzip or zlib header (writers have used both for GZIP).
    inflater = zlib.decompressobj(wbits=47)
    try:
        out = inflater.decompress(data)
    except zlib.error as error:
        raise ParquetError(f"{what}: {error}") from None
    if not inflater.eof:
        raise ParquetError(f"{what}: truncated stream")
    if inflater.unused_data:
        raise ParquetError(f"{what}: {len(inflater.unused_data)} bytes after the end of the stream")
    return out


def decompress(codec, data, size, what):
    if codec == "UNCOMPRESSED":
        out = bytes(data)
    elif codec == "SNAPPY":
        out = snappy_decompress(data, f"{what}: snappy")
    elif codec == "GZIP":
        out = _gunzip(data, f"{what}: gzip")
    else:
        raise ParquetError(f"{what}: compression codec {codec} is not supported by this reader")
    if len(out) != size:
        raise ParquetError(f"{what}: {codec} data is {len(out)} bytes uncompressed; page header says {size}")
    return out


# ---------------------------------------------------------------------------------------------
# Encodings

def rle_hybrid(data, pos, end, bit_width, count, what):
    """Decodes `count` values of the RLE / bit-packed hybrid from data[pos:end]; returns (values,
    position after the last run used).

    Each run starts with a varint header. An even header is an RLE run: header >> 1 repeats of one
    value stored in ceil(bit_width / 8) little-endian bytes. An odd header is a bit-packed run of
    header >> 1 groups of 8 values, each value bit_width bits, packed from the least significant
    bit; the last group may hold padding beyond `count`. A run reaching further than that means the
    data holds more values than the page header says, and is an error.
    """
    values = []
    value_bytes = (bit_width + 7) // 8
    mask = (1 << bit_width) - 1
    while len(values) < count:
        reader = ThriftReader(data, pos, end, what)
        header = reader.varint()
        pos = reader.pos
        if header & 1 == 0:
            run = header >> 1
            if run == 0:
                raise ParquetError(f"{what}: empty RLE run at byte {pos}")
            if pos + value_bytes > end:
                raise ParquetError(f"{what}: truncated RLE run")
            value = int.from_bytes(data[pos:pos + value_bytes], "little")
            pos += value_bytes
            if value > mask:
                raise ParquetError(f"{what}: RLE value {value} wider than {bit_width} bits")
            if run > count - len(values):
                raise ParquetError(f"{what}: RLE run of {run} values where {count - len(values)} remain")
            values.extend([value] * run)
        else:
            groups = header >> 1
            if groups == 0:
                raise ParquetError(f"{what}: empty bit-packed run at byte {pos}")
            size = groups * bit_width
            if pos + size > end:
                raise ParquetError(f"{what}: bit-packed run of {groups} groups overruns the data")
            wanted = count - len(values)
            if groups > (wanted + 7) // 8:
                raise ParquetError(f"{what}: bit-packed run of {groups * 8} values where {wanted} remain")
            for g in range(groups):
                packed = int.from_bytes(data[pos + g * bit_width:pos + (g + 1) * bit_width], "little")
                for i in range(min(8, wanted - g * 8)):
                    values.append((packed >> (i * bit_width)) & mask)
            pos += size
    return values, pos


PLAIN_FORMATS = {"INT32": ("i", 4), "INT64": ("q", 8), "FLOAT": ("f", 4), "DOUBLE": ("d", 8)}


def plain(data, pos, end, physical, count, type_length, what):
    """Decodes `count` PLAIN values; returns (values, position after them)."""
    if physical in PLAIN_FORMATS:
        code, size = PLAIN_FORMATS[physical]
        if pos + count * size > end:
            raise ParquetError(f"{what}: {count} PLAIN {physical} values need {count * size} bytes; page has {end - pos}")
        return list(struct.unpack_from(f"<{count}{code}", data, pos)), pos + count * size
    if physical == "BOOLEAN":  # one bit each, least significant bit first
        size = (count + 7) // 8
        if pos + size > end:
            raise ParquetError(f"{what}: {count} PLAIN BOOLEAN values overrun the page")
        return [bool(data[pos + i // 8] >> (i % 8) & 1) for i in range(count)], pos + size
    if physical == "BYTE_ARRAY":  # each a 4-byte little-endian length and the bytes
        values = []
        for _ in range(count):
            if pos + 4 > end:
                raise ParquetError(f"{what}: PLAIN BYTE_ARRAY length overruns the page after {len(values)} of {count} values")
            length = int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
            if pos + length > end:
                raise ParquetError(f"{what}: PLAIN BYTE_ARRAY value of {length} bytes overruns the page")
            values.append(bytes(data[pos:pos + length]))
            pos += length
        return values, pos
    if physical == "FIXED_LEN_BYTE_ARRAY":
        if not type_length or type_length < 0:
            raise ParquetError(f"{what}: FIXED_LEN_BYTE_ARRAY without a type_length")
        if pos + count * type_length > end:
            raise ParquetError(f"{what}: {count} FIXED_LEN_BYTE_ARRAY values overrun the page")
        values = [bytes(data[pos + i * type_length:pos + (i + 1) * type_length]) for i in range(count)]
        return values, pos + count * type_length
    raise ParquetError(f"{what}: physical type {physical} is not supported by this reader")


# ---------------------------------------------------------------------------------------------
# Column chunks

def _levels_v1(data, pos, end, encoding, max_level, count, what):
    """Definition levels of a v1 data page: RLE hybrid behind a 4-byte little-endian length."""
    if encoding != "RLE":
        raise ParquetError(f"{what}: definition level encoding {encoding} is not supported by this reader")
    if pos + 4 > end:
        raise ParquetError(f"{what}: truncated definition levels length")
    length = int.from_bytes(data[pos:pos + 4], "little")
    pos += 4
    if pos + length > end:
        raise ParquetError(f"{what}: definition levels of {length} bytes overrun the page")
    levels, used = rle_hybrid(data, pos, pos + length, max_level.bit_length(), count, what + " definition levels")
    if used != pos + length:
        raise ParquetError(f"{what}: definition levels use {used - pos} of their {length} bytes")
    return levels, pos + length


def _values(data, pos, end, encoding, column, dictionary, count, what):
    """Decodes the `count` non-null values of a page from data[pos:end], which they must fill."""
    physical = column["type"]
    if encoding == "PLAIN":
        values, used = plain(data, pos, end, physical, count, column["type_length"], what)
    elif encoding in ("PLAIN_DICTIONARY", "RLE_DICTIONARY"):
        if dictionary is None:
            raise ParquetError(f"{what}: {encoding} data page without a dictionary page")
        if count == 0 and pos == end:
            return [], end
        if pos >= end:
            raise ParquetError(f"{what}: missing dictionary index bit width")
        width = data[pos]
        if width > 32:
            raise ParquetError(f"{what}: dictionary index bit width {width}")
        indexes, used = rle_hybrid(data, pos + 1, end, width, count, what + " dictionary indexes")
        size = len(dictionary)
        values = []
        for index in indexes:
            if index >= size:
                raise ParquetError(f"{what}: dictionary index {index} out of range (dictionary has {size} entries)")
            values.append(dictionary[index])
    elif encoding == "RLE" and physical == "BOOLEAN":
        if pos + 4 > end:
            raise ParquetError(f"{what}: truncated RLE BOOLEAN length")
        length = int.from_bytes(data[pos:pos + 4], "little")
        if pos + 4 + length > end:
            raise ParquetError(f"{what}: RLE BOOLEAN values of {length} bytes overrun the page")
        bits, used = rle_hybrid(data, pos + 4, pos + 4 + length, 1, count, what)
        values = [bool(b) for b in bits]
    else:
        raise ParquetError(f"{what}: {encoding} encoding of {physical} values is not supported by this reader")
    if used != end:
        raise ParquetError(f"{what}: {count} values end at byte {used - pos} of a {end - pos}-byte value section "
                           "(value count in the page header disagrees with the data)")
    return values, used


def _convert(values, column):
    """Applies the STRING / UTF8 and DATE annotations."""
    annotation = column["logical_type"] or column["converted_type"]
    physical = column["type"]
    if physical == "BYTE_ARRAY" and annotation in ("STRING", "UTF8"):
        out = []
        for value in values:
            if value is None:
                out.append(None)
                continue
            try:
                out.append(value.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise ParquetError(f"column '{column['name']}': invalid UTF-8 in a STRING value ({error.reason})") from None
        return out
    if physical == "INT32" and annotation == "DATE":
        out = []
        for value in values:
            try:
                out.append(None if value is None else EPOCH + datetime.timedelta(days=value))
            except OverflowError:
                raise ParquetError(f"column '{column['name']}': DATE {value} days from 1970-01-01 is out of range") from None
        return out
    return values


def _read_chunk(data, footer_start, column, chunk, rows, label):
    """Decodes one column chunk; returns (values, [page summaries])."""
    codec = chunk["codec"]
    optional = column["repetition"] == "OPTIONAL"
    max_def = 1 if optional else 0
    # The chunk starts at its dictionary page when it has one. A dictionary_page_offset of 0 cannot
    # point at a page (the magic is there), and some writers store 0 for "none".
    start = chunk["data_page_offset"]
    if chunk["dictionary_page_offset"]:
        start = chunk["dictionary_page_offset"]
        if start > chunk["data_page_offset"]:
            raise ParquetError(f"{label}: dictionary page offset {start} is after the data page offset {chunk['data_page_offset']}")
    end = start + chunk["total_compressed_size"]
    if start < 4 or end > footer_start:
        raise ParquetError(f"{label}: chunk bytes {start}..{end} lie outside the data region 4..{footer_start}")

    dictionary = None
    values, pages = [], []
    seen = 0  # values (nulls included) read so far
    pos = start
    while seen < chunk["num_values"]:
        what = f"{label} page {len(pages)} at byte {pos}"
        if pos >= end:
            raise ParquetError(f"{label}: pages hold {seen} values; ColumnMetaData.num_values is {chunk['num_values']}")
        reader = ThriftReader(data, pos, end, what + " header")
        header = reader.struct()
        kind = _name(PAGE_TYPES, _field(header, 1, f"{what}: PageHeader"), "page type", what)
        uncompressed = _field(header, 2, f"{what}: PageHeader")
        compressed = _field(header, 3, f"{what}: PageHeader")
        body_start = reader.pos
        body_end = body_start + compressed
        if compressed < 0 or uncompressed < 0 or body_end > end:
            raise ParquetError(f"{what}: {kind} of {compressed} bytes overruns the chunk (ends at {end})")
        body = data[body_start:body_end]
        expected_crc = _field(header, 4, f"{what}: PageHeader", int, None)
        if expected_crc is not None:
            # The CRC-32 (as in gzip) of the page as stored, i.e. after compression; thrift
            # carries it as a signed i32.
            crc = zlib.crc32(body)
            if crc != expected_crc & 0xFFFFFFFF:
                raise ParquetError(f"{what}: CRC {crc:08x} does not match the header's {expected_crc & 0xFFFFFFFF:08x}")
        page = {"type": kind, "compressed_size": compressed, "uncompressed_size": uncompressed}

        if kind == "DICTIONARY_PAGE":
            info = _field(header, 7, f"{what}: PageHeader (dictionary_page_header)", dict)
            count = _field(info, 1, f"{what}: DictionaryPageHeader")
            encoding = _name(ENCODINGS, _field(info, 2, f"{what}: DictionaryPageHeader"), "encoding", what)
            page.update(encoding=encoding, num_values=count)
            if dictionary is not None or pages:
                raise ParquetError(f"{what}: a dictionary page must be the first and only one of its chunk")
            if encoding not in ("PLAIN", "PLAIN_DICTIONARY"):  # both mean PLAIN values here
                raise ParquetError(f"{what}: dictionary page encoding {encoding} is not supported")
            raw = decompress(codec, body, uncompressed, what)
            dictionary, used = plain(raw, 0, len(raw), column["type"], count, column["type_length"], what)
            if used != len(raw):
                raise ParquetError(f"{what}: {count} dictionary values end at byte {used} of {len(raw)}")

        elif kind == "DATA_PAGE":
            info = _field(header, 5, f"{what}: PageHeader (data_page_header)", dict)
            count = _field(info, 1, f"{what}: DataPageHeader")
            encoding = _name(ENCODINGS, _field(info, 2, f"{what}: DataPageHeader"), "encoding", what)
            def_encoding = _name(ENCODINGS, _field(info, 3, f"{what}: DataPageHeader"), "encoding", what)
            page.update(encoding=encoding, num_values=count)
            raw = decompress(codec, body, uncompressed, what)
            # Layout: [repetition levels] [definition levels] values; flat columns have no
            # repetition levels, and REQUIRED columns no definition levels either.
            levels, vpos = None, 0
            if max_def:
                levels, vpos = _levels_v1(raw, 0, len(raw), def_encoding, max_def, count, what)
            present = count if levels is None else sum(1 for level in levels if level == max_def)
            decoded, _ = _values(raw, vpos, len(raw), encoding, column, dictionary, present, what)
            values.extend(_with_nulls(decoded, levels, max_def))

        elif kind == "DATA_PAGE_V2":
            info = _field(header, 8, f"{what}: PageHeader (data_page_header_v2)", dict)
            count = _field(info, 1, f"{what}: DataPageHeaderV2")
            nulls = _field(info, 2, f"{what}: DataPageHeaderV2")
            page_rows = _field(info, 3, f"{what}: DataPageHeaderV2")
            encoding = _name(ENCODINGS, _field(info, 4, f"{what}: DataPageHeaderV2"), "encoding", what)
            def_length = _field(info, 5, f"{what}: DataPageHeaderV2")
            rep_length = _field(info, 6, f"{what}: DataPageHeaderV2")
            is_compressed = _field(info, 7, f"{what}: DataPageHeaderV2", bool, True)
            page.update(encoding=encoding, num_values=count)
            if page_rows != count:
                raise ParquetError(f"{what}: {page_rows} rows but {count} values in a flat column")
            if rep_length:
                raise ParquetError(f"{what}: repetition levels in a flat column")
            if def_length < 0 or def_length > compressed:
                raise ParquetError(f"{what}: definition levels of {def_length} bytes overrun the page")
            # v2 keeps the levels uncompressed, without a length prefix, ahead of the values;
            # only the values are compressed, and the page sizes count the levels too.
            levels = None
            if max_def:
                levels, used = rle_hybrid(body, 0, def_length, 1, count, what + " definition levels")
                if used != def_length:
                    raise ParquetError(f"{what}: definition levels use {used} of their {def_length} bytes")
            elif def_length:
                raise ParquetError(f"{what}: definition levels in a REQUIRED column")
            present = count if levels is None else sum(1 for level in levels if level == max_def)
            if count - present != nulls:
                raise ParquetError(f"{what}: header says {nulls} nulls; definition levels give {count - present}")
            raw = body[def_length:]
            if is_compressed:
                raw = decompress(codec, raw, uncompressed - def_length, what)
            elif len(raw) != uncompressed - def_length:
                raise ParquetError(f"{what}: uncompressed page of {len(raw) + def_length} bytes; header says {uncompressed}")
            decoded, _ = _values(raw, 0, len(raw), encoding, column, dictionary, present, what)
            values.extend(_with_nulls(decoded, levels, max_def))

        else:
            raise ParquetError(f"{what}: page type {kind} is not supported by this reader")

        if kind != "DICTIONARY_PAGE":
            seen += count
        pages.append(page)
        pos = body_end

    if seen != chunk["num_values"]:
        raise ParquetError(f"{label}: pages hold {seen} values; ColumnMetaData.num_values is {chunk['num_values']}")
    if pos != end:
        raise ParquetError(f"{label}: pages end at byte {pos}; total_compressed_size puts the chunk end at {end}")
    if len(values) != rows:
        raise ParquetError(f"{label}: {len(values)} values in a row group of {rows} rows")
    _check_statistics(chunk["statistics"], column, values, label)
    return _convert(values, column), pages


def _unsigned(column):
    return "unsigned" in (column["logical_type"] or "") or (column["converted_type"] or "").startswith("UINT_")


def _sort_key(column):
    """How the format orders a column's physical values for statistics, or None where this reader
    does not compare them (INT96, DECIMAL and INTERVAL byte arrays, FLOAT16)."""
    physical = column["type"]
    logical, converted = column["logical_type"] or "", column["converted_type"] or ""
    if physical == "BOOLEAN":
        return int
    if physical in ("INT32", "INT64"):
        if _unsigned(column):
            mask = (1 << (32 if physical == "INT32" else 64)) - 1
            return lambda v: v & mask
        return lambda v: v
    if physical in ("FLOAT", "DOUBLE"):
        return lambda v: v
    if physical in ("BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"):
        if logical.startswith(("DECIMAL", "FLOAT16")) or converted in ("DECIMAL", "INTERVAL"):
            return None
        return lambda v: v  # unsigned byte-wise comparison, as Python compares bytes
    return None


def _statistic(raw, column, name, label):
    physical = column["type"]
    if physical in PLAIN_FORMATS:
        code, size = PLAIN_FORMATS[physical]
        if len(raw) != size:
            raise ParquetError(f"{label}: statistics {name} has {len(raw)} bytes; {physical} takes {size}")
        return struct.unpack("<" + code, raw)[0]
    if physical == "BOOLEAN":
        if len(raw) != 1 or raw[0] > 1:
            raise ParquetError(f"{label}: statistics {name} {raw!r} is not a BOOLEAN")
        return bool(raw[0])
    return raw


def _check_statistics(stats, column, values, label):
    """Checks the chunk's statistics against its values: readers that skip row groups by
    statistics (DuckDB, Spark, pyarrow filters) would otherwise drop rows silently."""
    if stats is None:
        return
    nulls = sum(1 for v in values if v is None)
    if stats["null_count"] is not None and stats["null_count"] != nulls:
        raise ParquetError(f"{label}: statistics null_count {stats['null_count']}; the chunk holds {nulls} nulls")
    key = _sort_key(column)
    if key is None or column.get("column_order") not in (None, "TYPE_DEFINED_ORDER"):
        return
    present = [key(v) for v in values if v is not None and v == v]  # NaN takes no part in min / max
    if not present:
        return
    low, high = min(present), max(present)
    bounds = [("min_value", stats["min_value"], stats["is_min_value_exact"], True),
              ("max_value", stats["max_value"], stats["is_max_value_exact"], False)]
    if column["type"] not in ("BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY") and not _unsigned(column):
        # The deprecated min / max compare signed, which is the type's own order only for
        # signed numbers and booleans.
        bounds += [("min", stats["min"], None, True), ("max", stats["max"], None, False)]
    for name, raw, exact, is_min in bounds:
        if raw is None:
            continue
        bound = _statistic(raw, column, name, label)
        if bound != bound:  # a NaN bound bounds nothing
            continue
        bound, actual = key(bound), low if is_min else high
        if (bound > actual) if is_min else (bound < actual):
            raise ParquetError(f"{label}: statistics {name} {bound!r} excludes the chunk's {'minimum' if is_min else 'maximum'} {actual!r}")
        if exact and bound != actual:
            raise ParquetError(f"{label}: exact statistics {name} {bound!r}; the chunk's {'minimum' if is_min else 'maximum'} is {actual!r}")


def _with_nulls(values, levels, max_def):
    if levels is None:
        return values
    it = iter(values)
    return [next(it) if level == max_def else None for level in levels]


# ---------------------------------------------------------------------------------------------
# Entry points

def read_metadata(path):
    """The footer of the file at `path` as a dict (schema, row groups, column chunks, metadata)."""
    with open(path, "rb") as handle:
        data = handle.read()
    meta, _ = _read_footer(data)
    _check_flat(meta)
    return meta


def read(path):
    """Reads the whole file: (metadata dict, {column name: list of values}). Page summaries are
    added to each column chunk of the metadata under "pages"."""
    with open(path, "rb") as handle:
        data = handle.read()
    meta, footer_start = _read_footer(data)
    leaves = _check_flat(meta)
    columns = {leaf["name"]: [] for leaf in leaves}
    for g, group in enumerate(meta["row_groups"]):
        for leaf, chunk in zip(leaves, group["columns"]):
            label = f"row group {g} column '{leaf['name']}'"
            values, pages = _read_chunk(data, footer_start, leaf, chunk, group["num_rows"], label)
            chunk["pages"] = pages
            columns[leaf["name"]].extend(values)
    return meta, columns


def summary(meta, columns, first=3):
    """A JSON-friendly summary: row counts, and per column its types, codecs, encodings and first values."""
    leaves = meta["schema"][1:]
    result = {
        "num_rows": meta["num_rows"],
        "row_groups": len(meta["row_groups"]),
        "created_by": meta["created_by"],
        "key_value_metadata": meta["key_value_metadata"],
        "columns": {},
    }
    for i, leaf in enumerate(leaves):
        chunks = [group["columns"][i] for group in meta["row_groups"]]
        pages = [page for chunk in chunks for page in chunk.get("pages", [])]
        result["columns"][leaf["name"]] = {
            "physical_type": leaf["type"],
            "logical_type": leaf["logical_type"],
            "converted_type": leaf["converted_type"],
            "repetition": leaf["repetition"],
            "codecs": sorted({c["codec"] for c in chunks}),
            "encodings": sorted({e for c in chunks for e in c["encodings"]}),
            "page_types": sorted({p["type"] for p in pages}),
            "page_encodings": sorted({p["encoding"] for p in pages}),
            "first": [_jsonable(v) for v in columns[leaf["name"]][:first]],
        }
    return result


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def main(argv):
    if len(argv) != 2:
        print(f"usage: {os.path.basename(argv[0])} FILE.parquet", file=sys.stderr)
        return 2
    try:
        meta, columns = read(argv[1])
    except (ParquetError, OSError) as error:
        print(f"{argv[1]}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary(meta, columns), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
