using System.Runtime.InteropServices;
using Clv.Modeling.Onnx.Proto;
using Google.Protobuf;

namespace Clv.Modeling.Onnx;

/// <summary>Small builder over the ONNX protobuf messages: initializers, nodes, typed inputs and outputs.</summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto graph;

    public OnnxGraph(string name, string docString)
    {
        graph = new GraphProto { Name = name, DocString = docString };
    }

    public GraphProto Proto => graph;

    /// <summary>Adds a float32 constant stored little-endian in <c>raw_data</c>.</summary>
    public string Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.ToArray());
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant; empty <paramref name="dims"/> makes a scalar.</summary>
    public string Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims.ToArray());
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node; an empty input or output name marks an omitted optional one.</summary>
    public NodeProto Node(string opType, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return node;
    }

    /// <summary>Declares a graph input; a dimension is a fixed size (<see cref="long"/>) or a symbolic name (<see cref="string"/>).</summary>
    public void Input(string name, TensorProto.Types.DataType elementType, params object[] dims) => graph.Input.Add(ValueInfo(name, elementType, dims));

    /// <summary>Declares a graph output, dimensions as for <see cref="Input"/>.</summary>
    public void Output(string name, TensorProto.Types.DataType elementType, params object[] dims) => graph.Output.Add(ValueInfo(name, elementType, dims));

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"Dimension '{dim}' of '{name}' is neither a size nor a symbol.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }
}
