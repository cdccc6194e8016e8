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

    /// <summary>Tag key of the export name (the blob name without extension).</summary>
    public const string ExportTag = "clv.export";

    /// <summary>Tag key of an outcome: <c>succeeded</c> | <c>failed</c> | <c>skipped</c> for files, <c>promoted</c> | <c>kept</c> | <c>failed</c> for training runs.</summary>
    public const string StatusTag = "clv.status";

    /// <summary>Tag key of the model version.</summary>
    public const string ModelVersionTag = "clv.model.version";

    /// <summary>Tag key of a CLV band (see <see cref="ClvBands"/>).</summary>
    public const string BandTag = "clv.band";

    /// <summary>Tag key of a table name.</summary>
    public const string TableTag = "clv.table";

    /// <summary><c>clv.ingest.files</c>: export files processed, tagged <c>clv.status</c> = succeeded | failed | skipped and <c>clv.export</c>.</summary>
    public static readonly Counter<long> IngestFiles = Meter.CreateCounter<long>("clv.ingest.files", "{file}", "Export files processed, by status");

    /// <summary><c>clv.ingest.rows</c>: every data row read from an export (accepted and rejected), tagged <c>clv.export</c>.</summary>
    public static readonly Counter<long> IngestRows = Meter.CreateCounter<long>("clv.ingest.rows", "{row}", "Data rows read from exports, accepted and rejected");

    /// <summary><c>clv.ingest.rejected</c>: rejected data rows of an export, tagged <c>clv.export</c>; the rejected share is this over <c>clv.ingest.rows</c>.</summary>
    public static readonly Counter<long> IngestRejected = Meter.CreateCounter<long>("clv.ingest.rejected", "{row}", "Rejected data rows of exports");

    /// <summary><c>clv.ingest.customers</c>: distinct customers per featurized export (summed over exports).</summary>
    public static readonly Counter<long> IngestCustomers = Meter.CreateCounter<long>("clv.ingest.customers", "{customer}", "Distinct customers of featurized exports");

    /// <summary><c>clv.ingest.duration</c>: seconds to featurize one export.</summary>
    public static readonly Histogram<double> IngestDuration = Meter.CreateHistogram<double>("clv.ingest.duration", "s", "Time to featurize one export");

    /// <summary><c>clv.train.runs</c>: training runs, one per run, tagged <c>clv.status</c> = promoted | kept | failed and <c>clv.model.version</c>.</summary>
    public static readonly Counter<long> TrainRuns = Meter.CreateCounter<long>("clv.train.runs", "{run}", "Training runs, by outcome");

    /// <summary><c>clv.train.epochs</c>: training epochs completed.</summary>
    public static readonly Counter<long> TrainEpochs = Meter.CreateCounter<long>("clv.train.epochs", "{epoch}", "Training epochs completed");

    /// <summary><c>clv.train.loss</c>: final training loss (ZILN negative log-likelihood per customer) of each run, tagged <c>clv.model.version</c>.</summary>
    public static readonly Histogram<double> TrainLoss = Meter.CreateHistogram<double>("clv.train.loss", "{nats}", "Final training loss of a run");

    /// <summary><c>clv.train.customers</c>: customers in a training run.</summary>
    public static readonly Histogram<long> TrainCustomers = Meter.CreateHistogram<long>("clv.train.customers", "{customer}", "Customers in a training run");

    /// <summary><c>clv.train.duration</c>: seconds of a training run.</summary>
    public static readonly Histogram<double> TrainDuration = Meter.CreateHistogram<double>("clv.train.duration", "s", "Time of a training run");

    /// <summary><c>clv.model.gini</c>: normalised Gini of the candidate model on the held-out customers, tagged <c>clv.model.version</c>.</summary>
    public static readonly Histogram<double> ModelGini = Meter.CreateHistogram<double>("clv.model.gini", "1", "Normalised Gini of a trained model");

    /// <summary>Normalised Gini of the champion's stored predictions against what the customers spent since, one record per training run that could judge them.</summary>
    public static readonly Histogram<double> ModelRealizedGini = Meter.CreateHistogram<double>("clv.model.realized_gini", "1", "Normalised Gini of stored predictions against realized spend");

    /// <summary>Share of customers whose realized spend fell inside their stored [P10, P90], one record per judged run.</summary>
    public static readonly Histogram<double> ModelRealizedCoverage = Meter.CreateHistogram<double>("clv.model.realized_coverage80", "1", "Share of realized spend inside the stored P10-P90 interval");

    /// <summary><c>clv.score.predictions</c>: predictions written to the Predictions table by shard scoring, tagged <c>clv.model.version</c>.</summary>
    public static readonly Counter<long> ScorePredictions = Meter.CreateCounter<long>("clv.score.predictions", "{prediction}", "Predictions written");

    /// <summary><c>clv.score.shard.duration</c>: seconds to score one shard, tagged <c>clv.model.version</c>.</summary>
    public static readonly Histogram<double> ScoreShardDuration = Meter.CreateHistogram<double>("clv.score.shard.duration", "s", "Time to score one shard");

    /// <summary><c>clv.score.throughput</c>: predictions per second of one shard run.</summary>
    public static readonly Histogram<double> ScoreThroughput = Meter.CreateHistogram<double>("clv.score.throughput", "{prediction}/s", "Predictions per second of one shard");

    /// <summary><c>clv.score.shards</c>: shard messages handled, tagged <c>status</c>.</summary>
    public static readonly Counter<long> ScoreShards = Meter.CreateCounter<long>("clv.score.shards", "{shard}", "Shard messages handled, by status");

    /// <summary><c>clv.prediction.clv</c>: predicted CLV of every prediction written, tagged <c>clv.model.version</c>.</summary>
    public static readonly Histogram<double> PredictionClv = Meter.CreateHistogram<double>("clv.prediction.clv", "{currency}", "Predicted customer lifetime value");

    /// <summary><c>clv.prediction.band</c>: customers per predicted-CLV band, tagged <c>clv.band</c> and <c>clv.model.version</c>.</summary>
    public static readonly Counter<long> PredictionBand = Meter.CreateCounter<long>("clv.prediction.band", "{customer}", "Customers per predicted CLV band");

    /// <summary><c>clv.table.retries</c>: table requests retried after throttling or a transient failure, tagged <c>clv.table</c> and <c>retry</c>.</summary>
    public static readonly Counter<long> TableRetries = Meter.CreateCounter<long>("clv.table.retries", "{request}", "Table requests retried");

    /// <summary><c>clv.storage.retries</c>: blob and queue requests retried, tagged <c>service</c> and <c>retry</c>.</summary>
    public static readonly Counter<long> StorageRetries = Meter.CreateCounter<long>("clv.storage.retries", "{request}", "Blob and queue requests retried");

    /// <summary><c>clv.http.requests</c>: API requests, tagged <c>route</c> and <c>status</c>.</summary>
    public static readonly Counter<long> HttpRequests = Meter.CreateCounter<long>("clv.http.requests", "{request}", "API requests by route and status");

    /// <summary><c>clv.http.duration</c>: seconds to answer one API request, tagged <c>route</c>.</summary>
    public static readonly Histogram<double> HttpDuration = Meter.CreateHistogram<double>("clv.http.duration", "s", "Time to answer one API request");
}
