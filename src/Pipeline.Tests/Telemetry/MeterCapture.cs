using System.Diagnostics.Metrics;
using Clv.Pipeline.Telemetry;

namespace Clv.Pipeline.Tests.Telemetry;

/// <summary>One measurement of the <c>Clv.Pipeline</c> meter with its tags.</summary>
internal sealed record Measurement(string Name, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Records every measurement of the <c>Clv.Pipeline</c> meter while alive. Tests run in parallel on one static
/// meter, so assertions filter by a tag only their own run produces (export name, model version, table name).
/// </summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];

    public MeterCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ClvTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>Measurements of <paramref name="name"/> whose tag <paramref name="key"/> equals <paramref name="value"/>.</summary>
    public List<Measurement> Where(string name, string key, string value)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Name == name && m.Tag(key) == value).ToList();
        }
    }

    /// <summary>Sum of the values of <see cref="Where"/>.</summary>
    public double Sum(string name, string key, string value) => Where(name, key, value).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add(new Measurement(name, value, copy));
        }
    }
}
