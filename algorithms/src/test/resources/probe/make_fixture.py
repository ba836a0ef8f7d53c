"""Reference fits for LogisticRegressionProbeTest, made with scikit-learn (run: python make_fixture.py).

Writes iris.csv (Fisher's iris, 150 x 4, three classes; bundled with scikit-learn), binary.csv (a
seeded make_classification set, 200 x 6, two overlapping classes) and expected.json: the
coefficients in standardised coordinates (z = (x - mean) / population std) of
LogisticRegression(C, lbfgs, tol 1e-12) fit on z, and its training accuracy. For the binary set
scikit-learn fits the binary model, which equals the probe's two-class softmax fit at C / 2 (see
LogisticRegressionProbe); the binary reference is therefore fit at 2 * C.
"""
import json
import numpy as np
import sklearn
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression


def standardise(x):
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def fit(x, y, c):
    m = LogisticRegression(C=c, solver="lbfgs", tol=1e-12, max_iter=100000)
    m.fit(standardise(x), y)
    return {"coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(),
            "train_accuracy": float(m.score(standardise(x), y))}


iris = load_iris()
xi, yi = iris.data, iris.target
xb, yb = make_classification(n_samples=200, n_features=6, n_informative=4, n_redundant=1,
                             class_sep=0.6, flip_y=0.05, random_state=7)
np.savetxt("iris.csv", np.column_stack([xi, yi]), delimiter=",", fmt="%.17g")
np.savetxt("binary.csv", np.column_stack([xb, yb]), delimiter=",", fmt="%.17g")
out = {"sklearn": sklearn.__version__,
       "iris": {"C": 1.0, **fit(xi, yi, 1.0)},
       "iris_c0.05": {"C": 0.05, **fit(xi, yi, 0.05)},
       "binary": {"C": 1.0, "sklearn_C": 2.0, **fit(xb, yb, 2.0)}}
with open("expected.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
