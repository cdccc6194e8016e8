namespace Clv.Pipeline.Featurize;

/// <summary>
/// Turns one transaction export into a partial-aggregates file and a rejected-rows file: the port the
/// featurize job calls, implemented over <c>Clv.Modeling.Ingest</c> and <c>Clv.Modeling.Features</c>.
/// </summary>
public interface IExportFeaturizer
{
    /// <summary>Reads the export as it streams in and writes its partial aggregates and rejected rows.</summary>
    /// <param name="export">The export's bytes, already decompressed; read once, front to back.</param>
    /// <param name="exportName">The export's name, used in messages (e.g. <c>orders-2026-11</c>).</param>
    /// <param name="partial">Destination of the Parquet partial aggregates per (customer, bucket).</param>
    /// <param name="rejected">Destination of the rejected rows as CSV: line number, reason, raw line.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Row and customer counts.</returns>
    /// <exception cref="InvalidDataException">The file cannot be used at all (e.g. no customer id column); the message names the problem.</exception>
    Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default);

    /// <summary>The same, with the export's own mapping (its sidecar <c>{name}.mapping.json</c>) over the detected profile.</summary>
    /// <param name="export">The export's bytes, already decompressed; read once, front to back.</param>
    /// <param name="exportName">The export's name, used in messages.</param>
    /// <param name="mapping">The export's mapping, or <see langword="null"/> for none.</param>
    /// <param name="partial">Destination of the Parquet partial aggregates per (customer, bucket).</param>
    /// <param name="rejected">Destination of the rejected rows as CSV: line number, reason, raw line.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Row and customer counts.</returns>
    /// <exception cref="InvalidDataException">The file cannot be used at all; the message names the problem.</exception>
    Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Clv.Modeling.Ingest.ExportMapping? mapping, Stream partial, Stream rejected, CancellationToken cancellationToken = default) =>
        mapping is null
            ? FeaturizeAsync(export, exportName, partial, rejected, cancellationToken)
            : throw new InvalidDataException($"{exportName}: this featurizer does not read mapping files.");
}

/// <summary>What one featurization saw.</summary>
/// <param name="Accepted">Accepted data rows.</param>
/// <param name="Rejected">Rejected data rows.</param>
/// <param name="Customers">Distinct customers among the accepted rows.</param>
/// <param name="Skipped">Rows that are not orders of their own (guest rows without a customer id, further lines of an order): counted, not used, not rejected.</param>
public sealed record FeaturizeCounts(long Accepted, long Rejected, int Customers, long Skipped = 0)
{
    /// <summary>The export profile the file was read with (e.g. <c>shopify-orders</c>), or <see langword="null"/> when not known.</summary>
    public string? Profile { get; init; }

    /// <summary>Rows that are not revenue (refunded, voided, cancelled, failed, test).</summary>
    public long Excluded { get; init; }
}
