using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Clv.Infra.Tests.Arm;

/// <summary>
/// Evaluates the subset of ARM template expressions that decide what a template deploys from its
/// parameters alone: <c>parameters</c>, <c>variables</c>, logic (<c>not</c>, <c>and</c>, <c>or</c>,
/// <c>equals</c>, <c>empty</c>, <c>if</c>, <c>bool</c>), constructors (<c>createObject</c>,
/// <c>createArray</c>, <c>concat</c>) and strings (<c>format</c>, <c>string</c>). Functions that need a live deployment (<c>reference</c>,
/// <c>resourceId</c>, ...) throw <see cref="NotSupportedException"/> naming the function.
/// </summary>
/// <remarks>
/// Hand-written: no .NET package evaluates ARM expressions offline. Values are <see cref="string"/>,
/// <see cref="bool"/>, <see cref="long"/>, <see cref="List{T}"/> of values, case-insensitive
/// dictionaries, or null.
/// </remarks>
public static class ArmExpression
{
    /// <summary>Whether <paramref name="text"/> is an expression (<c>[...]</c> but not the escaped <c>[[...</c>).</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && text[1] != '[';

    /// <summary>Evaluates the expression <paramref name="text"/> (with its brackets) in <paramref name="scope"/>.</summary>
    public static object? Evaluate(string text, ArmScope scope)
    {
        var parser = new Parser(text[1..^1]);
        var node = parser.ParseExpression();
        parser.ExpectEnd();
        return node.Evaluate(scope);
    }

    private abstract record Node
    {
        public abstract object? Evaluate(ArmScope scope);
    }

    private sealed record Literal(object? Value) : Node
    {
        public override object? Evaluate(ArmScope scope) => Value;
    }

    private sealed record Call(string Name, IReadOnlyList<Node> Arguments) : Node
    {
        public override object? Evaluate(ArmScope scope)
        {
            switch (Name.ToLowerInvariant())
            {
                case "if":
                    // Lazy like ARM: the branch not taken may hold runtime-only functions.
                    return AsBool(Arguments[0].Evaluate(scope), Name) ? Arguments[1].Evaluate(scope) : Arguments[2].Evaluate(scope);
                case "and":
                    return Arguments.All(a => AsBool(a.Evaluate(scope), Name));
                case "or":
                    return Arguments.Any(a => AsBool(a.Evaluate(scope), Name));
                default:
                    break;
            }

            var values = Arguments.Select(a => a.Evaluate(scope)).ToList();
            return Name.ToLowerInvariant() switch
            {
                "parameters" => scope.Parameter(AsString(values[0], Name)),
                "variables" => scope.Variable(AsString(values[0], Name)),
                "not" => !AsBool(values[0], Name),
                "equals" => ValuesEqual(values[0], values[1]),
                "empty" => IsEmpty(values[0]),
                "bool" => values[0] is string s ? bool.Parse(s) : AsBool(values[0], Name),
                "true" => true,
                "false" => false,
                "createarray" => values,
                "createobject" => CreateObject(values),
                "concat" => Concat(values),
                "format" => Format(values),
                "string" => values[0] switch
                {
                    string text => text,
                    bool flag => flag ? "True" : "False",
                    long number => number.ToString(CultureInfo.InvariantCulture),
                    var other => ThrowUnsupported($"string({other?.GetType().Name ?? "null"})"),
                },
                _ => ThrowUnsupported(Name),
            };
        }
    }

    private sealed record Property(Node Target, string Name) : Node
    {
        public override object? Evaluate(ArmScope scope) => Target.Evaluate(scope) switch
        {
            IDictionary<string, object?> map => map[Name],
            var other => throw new InvalidOperationException($"Cannot read property '{Name}' of {other ?? "null"}."),
        };
    }

    private sealed record Index(Node Target, Node Key) : Node
    {
        public override object? Evaluate(ArmScope scope) => (Target.Evaluate(scope), Key.Evaluate(scope)) switch
        {
            (IList<object?> list, long i) => list[checked((int)i)],
            (IDictionary<string, object?> map, string key) => map[key],
            var (target, key) => throw new InvalidOperationException($"Cannot index {target ?? "null"} with {key ?? "null"}."),
        };
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public Node ParseExpression()
        {
            SkipSpace();
            Node node = Peek() switch
            {
                '\'' => new Literal(ReadString()),
                var c when char.IsDigit(c) || c == '-' => new Literal(ReadInteger()),
                _ => ReadCall(),
            };

            while (true)
            {
                SkipSpace();
                if (Peek() == '.')
                {
                    _position++;
                    node = new Property(node, ReadIdentifier());
                }
                else if (Peek() == '[')
                {
                    _position++;
                    var key = ParseExpression();
                    Expect(']');
                    node = new Index(node, key);
                }
                else
                {
                    return node;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                ThrowSyntax("end of expression");
            }
        }

        private Call ReadCall()
        {
            var name = ReadIdentifier();
            Expect('(');
            var arguments = new List<Node>();
            SkipSpace();
            if (Peek() == ')')
            {
                _position++;
                return new Call(name, arguments);
            }

            while (true)
            {
                arguments.Add(ParseExpression());
                SkipSpace();
                if (Peek() == ',')
                {
                    _position++;
                    continue;
                }

                Expect(')');
                return new Call(name, arguments);
            }
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            if (start == _position)
            {
                ThrowSyntax("an identifier");
            }

            return text[start.._position];
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _position++;
            while (true)
            {
                if (_position >= text.Length)
                {
                    ThrowSyntax("a closing quote");
                }

                var c = text[_position++];
                if (c != '\'')
                {
                    builder.Append(c);
                }
                else if (Peek() == '\'')
                {
                    builder.Append('\'');
                    _position++;
                }
                else
                {
                    return builder.ToString();
                }
            }
        }

        private long ReadInteger()
        {
            var start = _position;
            _position++;
            while (_position < text.Length && char.IsDigit(text[_position]))
            {
                _position++;
            }

            return long.Parse(text.AsSpan(start, _position - start), CultureInfo.InvariantCulture);
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                ThrowSyntax($"'{c}'");
            }

            _position++;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        [DoesNotReturn]
        private void ThrowSyntax(string expected) =>
            throw new FormatException($"Expected {expected} at position {_position} of ARM expression '{text}'.");
    }

    private static bool AsBool(object? value, string function) => value as bool?
        ?? throw new InvalidOperationException($"{function}() expects a bool, got {value ?? "null"}.");

    private static string AsString(object? value, string function) => value as string
        ?? throw new InvalidOperationException($"{function}() expects a string, got {value ?? "null"}.");

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection<object?> list => list.Count == 0,
        IDictionary<string, object?> map => map.Count == 0,
        _ => throw new InvalidOperationException($"empty() cannot take {value}."),
    };

    private static bool ValuesEqual(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        (IList<object?> a, IList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => ValuesEqual(p.First, p.Second)),
        _ => Equals(left, right),
    };

    private static Dictionary<string, object?> CreateObject(List<object?> values)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < values.Count; i += 2)
        {
            map[AsString(values[i], "createObject")] = values[i + 1];
        }

        return map;
    }

    private static object Concat(List<object?> values) => values.All(v => v is IList<object?>)
        ? values.SelectMany(v => (IList<object?>)v!).ToList()
        : string.Concat(values.Select(v => AsString(v, "concat")));

    private static string Format(List<object?> values)
    {
        var arguments = values.Skip(1).Select(v => v switch
        {
            string or long or bool => v,
            _ => throw new InvalidOperationException($"format() takes strings, integers and bools, got {v ?? "null"}."),
        }).ToArray();
        return string.Format(CultureInfo.InvariantCulture, AsString(values[0], "format"), arguments);
    }

    [DoesNotReturn]
    private static object ThrowUnsupported(string function) =>
        throw new NotSupportedException($"ARM function '{function}' needs a live deployment and is not evaluated offline.");
}
