#!/usr/bin/env python3
"""PyTorch CPU peer of the train benchmark: same shapes, LSTM + dense head to 3 logits, ZILN loss,
gradient-norm clipping and an Adam step per minibatch, full-length sequences. Run as its users would:
torch.set_num_threads, the fused nn.LSTM, no anomaly detection, warm-up steps before timing. The caller
caps its instruction set per vector width (ATEN_CPU_CAPABILITY, OPENBLAS_CORETYPE, DNNL_MAX_CPU_ISA).
Prints one JSON object."""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seconds", type=float, default=5)
parser.add_argument("--shapes", default="1024:24:16:64,1024:52:16:32")
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)


class Model(torch.nn.Module):
    def __init__(self, features, hidden):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])


def ziln(logits, y):
    positive = (y > 0).float()
    bce = F.binary_cross_entropy_with_logits(logits[:, 0], positive, reduction="none")
    mu = logits[:, 1]
    sigma = torch.clamp(F.softplus(logits[:, 2]), min=math.sqrt(1e-7))
    safe = positive * y + (1 - positive)
    log_y = torch.log(safe)
    nll = log_y + torch.log(sigma) + 0.5 * math.log(2 * math.pi) + (log_y - mu) ** 2 / (2 * sigma**2)
    return (bce + positive * nll).mean()


results = []
for spec in args.shapes.split(","):
    batch, steps, features, hidden = (int(p) for p in spec.split(":"))
    model = Model(features, hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, steps, features) * 2 - 1
    y = torch.where(torch.arange(batch) % 2 == 0, torch.zeros(batch), torch.exp(torch.rand(batch) * 3))

    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = ziln(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    for _ in range(3):
        step()
    cpu_start = time.process_time()
    start = time.perf_counter()
    iterations = 0
    while iterations < 5 or time.perf_counter() - start < args.seconds:
        step()
        iterations += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    flops_per_sample = 2.0 * steps * 4 * hidden * (2 * features + 3 * hidden)
    samples = iterations * batch / elapsed
    results.append({"batch": batch, "steps": steps, "features": features, "hidden": hidden,
                    "samplesPerSecond": round(samples, 1), "samplesPerCpuSecond": round(iterations * batch / cpu, 1),
                    "gflops": round(samples * flops_per_sample / 1e9, 2),
                    "iterations": iterations})

try:
    capability = torch.backends.cpu.get_cpu_capability()
except AttributeError:  # before PyTorch 2.0
    capability = os.environ.get("ATEN_CPU_CAPABILITY", "best")
cap = " ".join(f"{k}={os.environ[k]}" for k in ("ATEN_CPU_CAPABILITY", "OPENBLAS_CORETYPE", "DNNL_MAX_CPU_ISA") if k in os.environ) or "none"
print(json.dumps({"torch": torch.__version__, "threads": args.threads, "blas": torch.backends.mkldnn.is_available(),
                  "cap": cap, "cpuCapability": capability, "shapes": results}))
