"""Fits the rational factor of F32Gelu: h(z) = erfc(z)/2 = exp(-z^2) * R(z) for z >= 0, with
R(z) = P(z)/Q(z) ~ exp(z^2) * erfc(z) / 2 on [0, 10], P of degree 4, Q of degree 5 with Q(0) = 1
(R decays like 1/(2 sqrt(pi) z), so Q has one degree more), minimising the maximum relative error.
Sanderson-Kennedy linearisation, then Lawson reweighting toward minimax. Prints the coefficients
pasted into F32Gelu.java (as F32 literals) and the relative error of the double-precision fit
(5.6e-9). Run: python3 fit_gelu_erfc.py (NumPy only)."""
import numpy as np
from math import erfc, exp

Z = 10.0
z = np.linspace(0, Z, 40000)
f = np.array([0.5 * erfc(t) * exp(t * t) for t in z])
n_p, n_q = 5, 6
w = 1 / f  # relative error
q_prev = np.ones_like(z)
lawson = np.ones_like(z)
best = None
for it in range(300):
    a = np.hstack([np.vander(z, n_p, increasing=True), -f[:, None] * np.vander(z, n_q, increasing=True)[:, 1:]])
    weight = (w * lawson / q_prev)[:, None]
    coef, *_ = np.linalg.lstsq(a * weight, f * weight[:, 0], rcond=None)
    p = coef[:n_p]
    q = np.concatenate([[1.0], coef[n_p:]])
    q_prev = np.polyval(q[::-1], z)
    err = w * (np.polyval(p[::-1], z) / q_prev - f)
    worst = np.max(np.abs(err))
    if best is None or worst < best[0]:
        best = (worst, p.copy(), q.copy())
    if it > 5:
        lawson = lawson * (np.abs(err) / worst + 1e-3) ** 0.5
        lawson /= lawson.max()
print("max relative error (double):", best[0])
print("P:", ", ".join(repr(float(c)) for c in best[1]))
print("Q:", ", ".join(repr(float(c)) for c in best[2]))
