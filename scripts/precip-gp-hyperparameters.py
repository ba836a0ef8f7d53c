#!/usr/bin/env python3
"""Exact-marginal-likelihood hyperparameters of the Matern-5/2 GP on the precipitation grid.

Fits (lengthscale, outputscale sigma_f^2, noise sigma_n^2) of k(r) = sigma_f^2 (1 + s + s^2/3) e^-s,
s = sqrt(5) r / l, on data/kernel/precip-train.csv (x, y, z on the unit sphere, precipitation),
targets centred by their mean, by L-BFGS on the exact log marginal likelihood (dense Cholesky,
analytic gradient, log parameters), two ways:

  composite: the sum of the exact log likelihoods of B spatial patches of contiguous grid cells
             (a block composite likelihood, Eidsvik et al. 2014): at the full grid's density;
  subsample: the exact log likelihood of a seeded uniform random subsample of N points
             (sparser than the grid, so unresolved small-scale variation shows up as noise).

Usage: scripts/precip-gp-hyperparameters.py [patches=8] [patch_degrees=12] [subsample=3000] [seed=0]
Prints one line per method: lengthscale outputscale noise and the objective.
"""
import sys, time
import numpy as np
import scipy.linalg as sl
import scipy.optimize as so

args = [float(a) for a in sys.argv[1:]] + [None] * 4
patches = int(args[0] or 8); half = (args[1] or 12) / 2; sub = int(args[2] or 3000); seed = int(args[3] or 0)
d = np.loadtxt('data/kernel/precip-train.csv', delimiter=',')
X, y = d[:, :3], d[:, 3] - d[:, 3].mean()
rng = np.random.default_rng(seed)

def dist(a):
    g = np.sum(a * a, 1)
    return np.sqrt(np.maximum(g[:, None] + g[None, :] - 2 * a @ a.T, 0))

def nll_and_grad(p, blocks):
    l, sf, sn = np.exp(p)
    f, g = 0.0, np.zeros(3)
    for R, t in blocks:
        s = np.sqrt(5) * R / l
        e = np.exp(-s)
        k0 = (1 + s + s * s / 3) * e
        dk_dlogl = (s * s * (1 + s) / 3) * e   # d k0 / d log l
        K = sf * k0 + sn * np.eye(len(t))
        c = sl.cho_factor(K, lower=True)
        a = sl.cho_solve(c, t)
        f += 0.5 * t @ a + np.sum(np.log(np.diag(c[0]))) + 0.5 * len(t) * np.log(2 * np.pi)
        W = sl.cho_solve(c, np.eye(len(t))) - np.outer(a, a)  # K^-1 - a a^T
        g += 0.5 * np.array([np.sum(W * (sf * dk_dlogl)), np.sum(W * (sf * k0)), sn * np.trace(W)])
    return f, g

def fit(blocks, start):
    t0 = time.time()
    r = so.minimize(nll_and_grad, np.log(start), args=(blocks,), jac=True, method='L-BFGS-B', options=dict(maxiter=200))
    return np.exp(r.x), r.fun, r.nit, time.time() - t0, r.success

start = [0.08, y.var(), 1e-3 * y.var()]
lat = np.degrees(np.arcsin(np.clip(X[:, 2], -1, 1)))
lon = np.degrees(np.arctan2(X[:, 1], X[:, 0]))
blocks = []
while len(blocks) < patches:
    c_lat, c_lon = rng.uniform(-70, 70), rng.uniform(-180, 180)
    sel = (np.abs(lat - c_lat) < half) & (np.abs((lon - c_lon + 180) % 360 - 180) < half)
    if sel.sum() > 50:
        blocks.append((dist(X[sel]), y[sel]))
p, f, it, sec, ok = fit(blocks, start)
print(f"composite ({patches} patches of {2*half:g} x {2*half:g} degrees, {sum(len(t) for _, t in blocks)} points): "
      f"lengthscale {p[0]:.5g} outputscale {p[1]:.5g} noise {p[2]:.5g}; -log L {f:.6g}; {it} iterations, {sec:.0f} s, success {ok}", flush=True)
idx = rng.choice(len(y), sub, replace=False)
p, f, it, sec, ok = fit([(dist(X[idx]), y[idx])], start)
print(f"subsample ({sub} random points): lengthscale {p[0]:.5g} outputscale {p[1]:.5g} noise {p[2]:.5g}; -log L {f:.6g}; "
      f"{it} iterations, {sec:.0f} s, success {ok}", flush=True)
