"""Peer for bench/baselines: BG/NBD and Gamma-Gamma maximum likelihood with numpy + scipy, as the
`lifetimes` library fits them (vectorised log-likelihood over every customer, Nelder-Mead on log-parameters).

usage: peer.py SUMMARY_CSV REPEATS   (SUMMARY_CSV columns x,t_x,T,m); prints one line of JSON.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln


def bgnbd_nll(log_params, x, tx, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return -np.sum(a1 + a2 + np.logaddexp(a3, a4))


def gamma_gamma_nll(log_params, x, m):
    p, q, v = np.exp(log_params)
    px = p * x
    return -np.sum(gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
                   + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(v + x * m))


def fit(nll, count, args):
    result = minimize(nll, np.zeros(count), args=args, method="Nelder-Mead",
                      options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
    # Restart from the optimum, as lifetimes' iterative fitting does.
    result = minimize(nll, result.x, args=args, method="Nelder-Mead",
                      options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
    return np.exp(result.x), -result.fun


def main():
    data = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
    repeats = int(sys.argv[2])
    x, tx, T, m = data["x"], data["t_x"], data["T"], data["m"]
    repeat = (x > 0) & (m > 0)
    bg_times, gg_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        bg, bg_ll = fit(bgnbd_nll, 4, (x, tx, T))
        bg_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        gg, gg_ll = fit(gamma_gamma_nll, 3, (x[repeat], m[repeat]))
        gg_times.append(time.perf_counter() - start)
    print(json.dumps({
        "bgnbdSeconds": float(np.median(bg_times)), "gammaGammaSeconds": float(np.median(gg_times)),
        "r": bg[0], "alpha": bg[1], "a": bg[2], "b": bg[3], "bgnbdLogLikelihood": bg_ll,
        "p": gg[0], "q": gg[1], "gamma": gg[2], "gammaGammaLogLikelihood": gg_ll,
    }))


if __name__ == "__main__":
    main()
