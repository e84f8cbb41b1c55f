"""Regenerates scipy_reference.json + pred/label .u8.gz for ScipyReferenceTests.

Computes per-class Dice, ASSD and HD95 the way MONAI 1.5 does (binary_erosion XOR edges, scipy
distance_transform_edt with sampling=spacing, empty-mask rules of get_surface_distance, linear
percentile, pooled symmetric mean) with numpy/scipy only (MONAI itself needs torch).
Run: python3 make_scipy_reference.py   (numpy, scipy)
Volumes are stored x-fastest (Fortran order), uint8, gzip.
"""
import gzip, json
import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt, gaussian_filter

SHAPE, SPACING = (24, 20, 16), (0.7, 1.2, 2.5)


def labels(rng):
    a = gaussian_filter(rng.standard_normal(SHAPE), 2.5); a /= a.std()
    b = gaussian_filter(rng.standard_normal(SHAPE), 3); b /= b.std()
    lab = np.zeros(SHAPE, np.uint8)
    lab[a > 0.3] = 1
    lab[(a > 0.3) & (b > 0.5)] = 2
    lab[b < -1.0] = 3
    return lab


def directed(a, b):
    if not b.any():
        return np.full(a.sum(), np.inf)
    if not a.any():
        return np.full(b.sum(), np.inf)
    return distance_transform_edt(~b, sampling=SPACING)[a]


rng = np.random.default_rng(2026)
gt = labels(rng)
pred = np.roll(gt, 1, axis=2)
noise = gaussian_filter(rng.standard_normal(SHAPE), 1.5)
pred[noise / noise.std() > 1.4] = 2
pred[pred == 3] = 0                      # class 3 missing from the prediction
pred[0:3, 0:3, 0:2] = 4                  # class 4 only in the prediction
results = []
for c in (1, 2, 3, 4, 5):
    p, g = pred == c, gt == c
    ep, eg = binary_erosion(p) ^ p, binary_erosion(g) ^ g
    d1, d2 = directed(ep, eg), directed(eg, ep)
    with np.errstate(invalid="ignore"):
        pct = [float("nan") if d.size == 0 else float(np.percentile(d, 95)) for d in (d1, d2)]
    both = np.concatenate([d1, d2])
    results.append({
        "label": c,
        "pred": int(p.sum()), "gt": int(g.sum()),
        "dice": "NaN" if g.sum() == 0 else 2 * float((p & g).sum()) / float(p.sum() + g.sum()),
        "assd": "NaN" if both.size == 0 else ("Infinity" if np.isinf(both).any() else float(both.mean())),
        "hd95": "NaN" if any(np.isnan(pct)) else max(pct),
    })
with gzip.GzipFile("scipy_reference_pred.u8.gz", "wb", mtime=0) as f:
    f.write(pred.ravel(order="F").tobytes())
with gzip.GzipFile("scipy_reference_label.u8.gz", "wb", mtime=0) as f:
    f.write(gt.ravel(order="F").tobytes())
with open("scipy_reference.json", "w") as f:
    json.dump({"shape": SHAPE, "spacing": SPACING, "classes": results}, f, indent=1)
print(json.dumps(results, indent=1))
