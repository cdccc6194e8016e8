using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clv.Pipeline.Telemetry;

/// <summary>
/// The traces and metrics of every job: <see cref="ActivitySource"/> and <see cref="Meter"/> both named <c>Clv.Pipeline</c>.
/// </summary>
/// <remarks>
/// Traces: <c>clv.featurize</c>, <c>clv.train</c>, <c>clv.score.fanout</c>, <c>clv.score.shard</c>,
/// <c>clv.lookup</c>, <c>clv.score.live</c>. Metric names are listed on each instrument and in the README.
/// </remarks>
public static class ClvTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "Clv.Pipeline";

    /// <summary>The source of every pipeline span.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary><c>clv.ingest.rows</c>: accepted data rows of featurized exports.</summary>
    public static readonly Counter<long> IngestRows = Meter.CreateCounter<long>("clv.ingest.rows", "{row}", "Accepted rows of featurized exports");

    /// <summary><c>clv.ingest.rejected</c>: rejected rows of featurized exports.</summary>
    public static readonly Counter<long> IngestRejected = Meter.CreateCounter<long>("clv.ingest.rejected", "{row}", "Rejected rows of featurized exports");

    /// <summary><c>clv.ingest.customers</c>: distinct customers per featurized export (summed over exports).</summary>
    public static readonly Counter<long> IngestCustomers = Meter.CreateCounter<long>("clv.ingest.customers", "{customer}", "Distinct customers of featurized exports");

    /// <summary><c>clv.ingest.exports</c>: exports processed, tagged <c>status</c> = succeeded | failed | skipped.</summary>
    public static readonly Counter<long> IngestExports = Meter.CreateCounter<long>("clv.ingest.exports", "{export}", "Exports processed, by status");

    /// <summary><c>clv.ingest.duration</c>: seconds to featurize one export.</summary>
    public static readonly Histogram<double> IngestDuration = Meter.CreateHistogram<double>("clv.ingest.duration", "s", "Time to featurize one export");

    /// <summary><c>clv.train.epochs</c>: training epochs completed.</summary>
    public static readonly Counter<long> TrainEpochs = Meter.CreateCounter<long>("clv.train.epochs", "{epoch}", "Training epochs completed");

    /// <summary><c>clv.train.loss</c>: final training loss (ZILN negative log-likelihood per customer) of each run.</summary>
    public static readonly Histogram<double> TrainLoss = Meter.CreateHistogram<double>("clv.train.loss", "{nats}", "Final training loss of a run");

    /// <summary><c>clv.train.customers</c>: customers in a training run.</summary>
    public static readonly Histogram<long> TrainCustomers = Meter.CreateHistogram<long>("clv.train.customers", "{customer}", "Customers in a training run");

    /// <summary><c>clv.train.duration</c>: seconds of a training run.</summary>
    public static readonly Histogram<double> TrainDuration = Meter.CreateHistogram<double>("clv.train.duration", "s", "Time of a training run");

    /// <summary><c>clv.model.gini</c>: normalised Gini of the candidate model on the held-out customers.</summary>
    public static readonly Histogram<double> ModelGini = Meter.CreateHistogram<double>("clv.model.gini", "1", "Normalised Gini of a trained model");

    /// <summary><c>clv.model.promotions</c>: candidate models, tagged <c>promoted</c> = true | false.</summary>
    public static readonly Counter<long> ModelPromotions = Meter.CreateCounter<long>("clv.model.promotions", "{model}", "Trained models, by promotion outcome");

    /// <summary><c>clv.score.predictions</c>: predictions written to the Predictions table.</summary>
    public static readonly Counter<long> ScorePredictions = Meter.CreateCounter<long>("clv.score.predictions", "{prediction}", "Predictions written");

    /// <summary><c>clv.score.throughput</c>: predictions per second of one shard run.</summary>
    public static readonly Histogram<double> ScoreThroughput = Meter.CreateHistogram<double>("clv.score.throughput", "{prediction}/s", "Predictions per second of one shard");

    /// <summary><c>clv.score.shards</c>: shard messages handled, tagged <c>status</c>.</summary>
    public static readonly Counter<long> ScoreShards = Meter.CreateCounter<long>("clv.score.shards", "{shard}", "Shard messages handled, by status");

    /// <summary><c>clv.table.retries</c>: storage requests retried after throttling or a transient failure, tagged <c>service</c> and <c>status</c>.</summary>
    public static readonly Counter<long> TableRetries = Meter.CreateCounter<long>("clv.table.retries", "{request}", "Storage requests retried");

    /// <summary><c>clv.http.requests</c>: API requests, tagged <c>route</c> and <c>status</c>.</summary>
    public static readonly Counter<long> HttpRequests = Meter.CreateCounter<long>("clv.http.requests", "{request}", "API requests by route and status");

    /// <summary><c>clv.http.duration</c>: seconds to answer one API request, tagged <c>route</c>.</summary>
    public static readonly Histogram<double> HttpDuration = Meter.CreateHistogram<double>("clv.http.duration", "s", "Time to answer one API request");
}
