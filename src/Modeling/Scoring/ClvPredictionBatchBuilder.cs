namespace Clv.Modeling.Scoring;

/// <summary>Gathers predictions one customer at a time, column by column, into a <see cref="ClvPredictionBatch"/>.</summary>
public sealed class ClvPredictionBatchBuilder
{
    private readonly List<string> _ids = [];
    private readonly List<float> _clv = [];
    private readonly List<float> _pPurchase = [];
    private readonly List<float> _p10 = [];
    private readonly List<float> _p50 = [];
    private readonly List<float> _p90 = [];

    /// <summary>Customers gathered so far.</summary>
    public int Count => _ids.Count;

    /// <summary>Adds one customer's prediction.</summary>
    public void Add(string customerId, ClvPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        _ids.Add(customerId);
        _clv.Add(prediction.Clv);
        _pPurchase.Add(prediction.PPurchase);
        _p10.Add(prediction.ClvP10);
        _p50.Add(prediction.ClvP50);
        _p90.Add(prediction.ClvP90);
    }

    /// <summary>Drops the customers <paramref name="drop"/> names, keeping the others in order.</summary>
    public void RemoveWhere(Func<string, bool> drop)
    {
        ArgumentNullException.ThrowIfNull(drop);
        var write = 0;
        for (var read = 0; read < _ids.Count; read++)
        {
            if (drop(_ids[read]))
            {
                continue;
            }

            _ids[write] = _ids[read];
            _clv[write] = _clv[read];
            _pPurchase[write] = _pPurchase[read];
            _p10[write] = _p10[read];
            _p50[write] = _p50[read];
            _p90[write] = _p90[read];
            write++;
        }

        var dropped = _ids.Count - write;
        _ids.RemoveRange(write, dropped);
        _clv.RemoveRange(write, dropped);
        _pPurchase.RemoveRange(write, dropped);
        _p10.RemoveRange(write, dropped);
        _p50.RemoveRange(write, dropped);
        _p90.RemoveRange(write, dropped);
    }

    /// <summary>The customers gathered so far, in the order added.</summary>
    public ClvPredictionBatch ToBatch() => new(_ids.ToArray(), [.. _clv], [.. _pPurchase], [.. _p10], [.. _p50], [.. _p90]);
}
