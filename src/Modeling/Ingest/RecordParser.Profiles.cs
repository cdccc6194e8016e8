using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Clv.Modeling.Ingest;

/// <summary>Rows of exports with <see cref="RowRules"/>: profiles, refunds, statuses, currency and keyed customer ids.</summary>
internal sealed partial class RecordParser
{
    private const int MoneyScratchBytes = 64;

    /// <summary>Turns one record into a row, a rejection, or a skipped or excluded row, under <paramref name="rules"/>.</summary>
    private RowOutcome ProcessRuledRecord<TConsumer>(ReadOnlySpan<byte> record, ExportColumns columns, RowRules rules, long line, ref TConsumer consumer, IRejectedRowSink rejected)
        where TConsumer : struct, IRowConsumer
    {
        var fieldCount = SplitFields(record);
        if (fieldCount != columns.FieldCount)
        {
            return Rejected(record, line, rejected, $"expected {columns.FieldCount} fields, found {Math.Min(fieldCount, MaxFields)}");
        }

        var scratchUsed = 0;
        var orderId = columns.OrderId >= 0 ? Value(record, columns.OrderId, ref scratchUsed) : default;
        var amountText = columns.Amount >= 0 ? Value(record, columns.Amount, ref scratchUsed) : default;
        if (rules.OncePerOrder && amountText.IsEmpty && !orderId.IsEmpty)
        {
            return RowOutcome.Skipped;
        }

        foreach (var (column, values) in columns.Exclusions)
        {
            if (RowRules.IsOneOf(Value(record, column, ref scratchUsed), values))
            {
                return RowOutcome.Excluded;
            }
        }

        var customerColumn = columns.Customer;
        var customer = Value(record, customerColumn, ref scratchUsed);
        if (customer.IsEmpty && columns.CustomerFallback >= 0)
        {
            customerColumn = columns.CustomerFallback;
            customer = Value(record, customerColumn, ref scratchUsed);
        }

        if (customer.IsEmpty)
        {
            // A guest order: no customer to attach it to.
            return RowOutcome.Skipped;
        }

        if (ReadCustomerAndDate(record, columns, customerColumn, customer, ref scratchUsed, out var dayNumber, out var secondOfDay) is { } problem)
        {
            return Rejected(record, line, rejected, problem);
        }

        if (ReadQuantity(record, columns, ref scratchUsed, out var quantity) is { } quantityProblem)
        {
            return Rejected(record, line, rejected, quantityProblem);
        }

        var decimalComma = _syntax.DecimalComma;
        Span<byte> money = stackalloc byte[MoneyScratchBytes];
        double amount;
        if (columns.Amount >= 0)
        {
            if (!RowRules.TryParseMoney(amountText, decimalComma, money, out amount))
            {
                return Rejected(record, line, rejected, $"unparseable amount '{Show(amountText)}' in column '{columns.Name(columns.Amount)}'");
            }
        }
        else
        {
            var text = Value(record, columns.UnitPrice, ref scratchUsed);
            if (!RowRules.TryParseMoney(text, decimalComma, money, out var unitPrice))
            {
                return Rejected(record, line, rejected, $"unparseable unit price '{Show(text)}' in column '{columns.Name(columns.UnitPrice)}'");
            }

            amount = quantity * unitPrice;
        }

        if (columns.Refund >= 0)
        {
            var text = Value(record, columns.Refund, ref scratchUsed);
            if (!text.IsEmpty)
            {
                if (!RowRules.TryParseMoney(text, decimalComma, money, out var refunded))
                {
                    return Rejected(record, line, rejected, $"unparseable refunded amount '{Show(text)}' in column '{columns.Name(columns.Refund)}'");
                }

                amount -= Math.Abs(refunded);
            }
        }

        if (rules.CurrencyUtf8 is { } expected)
        {
            var code = Value(record, columns.Currency, ref scratchUsed);
            if (!code.IsEmpty && !Ascii.EqualsIgnoreCase(code, expected))
            {
                var text = Encoding.UTF8.GetString(code);
                if (rules.Rates is null || !rules.Rates.TryGetValue(text, out var rate))
                {
                    return Rejected(
                        record,
                        line,
                        rejected,
                        $"currency '{Show(code)}' in column '{columns.Name(columns.Currency)}' is not {rules.Currency}, the currency amounts are counted in (set {rules.Flags.Currency}, or give a rate for {Show(code)} with {rules.Flags.CurrencyRates})");
                }

                amount *= rate;
            }
        }

        if (!(Math.Abs(amount) <= _limits.MaxAmount))
        {
            return Rejected(record, line, rejected, $"amount {amount:G} (net of refunds, in {rules.Currency ?? "the file's currency"}) is beyond the limit of {_limits.MaxAmount:G} (MaxAmount)");
        }

        if (rules.Hasher is { } hasher && CustomerIdHasher.IsPersonal(customer))
        {
            if (_scratch.Length < scratchUsed + CustomerIdHasher.PseudonymLength)
            {
                // Values already read stay in the old buffer, which they keep alive.
                Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, scratchUsed + CustomerIdHasher.PseudonymLength));
            }

            var written = hasher.Hash(customer, _scratch.AsSpan(scratchUsed));
            customer = _scratch.AsSpan(scratchUsed, written);
        }

        consumer.Accept(new ParsedRow
        {
            CustomerId = customer,
            DayNumber = dayNumber,
            SecondOfDay = secondOfDay,
            Amount = amount,
            Quantity = quantity,
            OrderId = orderId,
        });
        return RowOutcome.Accepted;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RowOutcome Rejected(ReadOnlySpan<byte> record, long line, IRejectedRowSink rejected, string reason) =>
        Reject(record, line, rejected, reason);
}
