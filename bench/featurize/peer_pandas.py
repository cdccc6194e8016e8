#!/usr/bin/env python3
"""Peer for bench/featurize: pandas reads the same export and computes the same (customer, ISO week) aggregates.

usage: peer_pandas.py PATH synthetic|cdnow|retail  -> one JSON line
Same work as `clv featurize --bucket week`: parse every row, drop rows with a missing customer, bad date or bad
amount, then per (customer, week starting Monday): net spend, distinct orders (order ids, or days for CDNOW),
items, returns.
"""
import json
import os
import resource
import sys
import time

import pandas as pd


def week_start(dates):
    days = dates.dt.normalize()
    return days - pd.to_timedelta(days.dt.dayofweek, unit="D")


def day_start(dates):
    return dates.dt.normalize()


def aggregate(frame, order_column, bucket=week_start):
    """Vectorised: sums per (customer, bucket), and distinct orders counted on purchase rows only."""
    frame = frame.assign(
        week=bucket(frame["date"]),
        returns=(frame["amount"] < 0).astype("int32"),
        items=frame["quantity"].abs().where(frame["amount"] >= 0, -frame["quantity"].abs()),
    )
    keys = ["customer_id", "week"]
    sums = frame.groupby(keys, sort=True)[["amount", "items", "returns"]].sum().rename(columns={"amount": "net_spend"})
    purchases = frame[frame["amount"] >= 0]
    orders = purchases.drop_duplicates(keys + [order_column]).groupby(keys, sort=True).size().rename("orders")
    return sums.join(orders, how="left").fillna({"orders": 0})


def run_synthetic(path):
    frame = pd.read_csv(
        path,
        usecols=["order_id", "customer_id", "order_date", "quantity", "amount"],
        dtype={"order_id": str, "customer_id": str, "order_date": str, "quantity": str, "amount": str},
        on_bad_lines="skip",
    )
    frame["date"] = pd.to_datetime(frame["order_date"], format="%Y-%m-%dT%H:%M:%S", errors="coerce")
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce")
    frame = frame.dropna(subset=["customer_id", "date", "amount"])
    return frame, aggregate(frame, "order_id")


def run_retail(path):
    """A shop's order lines with native types: amount is quantity x unit price, guest lines (no customer) left out."""
    frame = pd.read_csv(
        path,
        usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "Quantity": "float64", "UnitPrice": "float64", "CustomerID": str},
        parse_dates=["InvoiceDate"],
    )
    frame = frame.rename(columns={"InvoiceNo": "order_id", "Quantity": "quantity", "InvoiceDate": "date", "CustomerID": "customer_id"})
    frame["amount"] = frame["quantity"] * frame["UnitPrice"]
    frame = frame.dropna(subset=["customer_id", "date", "amount"])
    return frame, aggregate(frame, "order_id", day_start)


def run_cdnow(path):
    frame = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    frame = frame.rename(columns={"dollar_value": "amount", "number_of_cds": "quantity", "date": "day"})
    frame["date"] = pd.to_datetime(frame["day"], format="%Y%m%d", errors="coerce")
    frame = frame.dropna(subset=["customer_id", "date", "amount"])
    return frame, aggregate(frame, "day")


def main():
    path, kind = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    cpu_start = time.process_time()
    frame, cells = {"synthetic": run_synthetic, "cdnow": run_cdnow, "retail": run_retail}[kind](path)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    size = os.path.getsize(path)
    print(json.dumps({
        "file": os.path.basename(path),
        "bytes": size,
        "accepted": int(len(frame)),
        "customers": int(frame["customer_id"].nunique()),
        "cells": int(len(cells)),
        "totalSpend": round(float(frame["amount"].sum()), 2),
        "seconds": seconds,
        "megabytesPerSecond": size / 1e6 / seconds,
        "rowsPerSecond": len(frame) / seconds,
        "cpuSeconds": cpu_seconds,
        "megabytesPerCpuSecond": size / 1e6 / cpu_seconds,
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pandas": pd.__version__,
    }))


if __name__ == "__main__":
    main()
