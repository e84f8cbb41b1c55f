// Pure helpers of the line chart (no DOM): turning any payload into data uPlot can draw, axis ranges and ticks
// that exist for any pair of numbers, and labels. The old chart hung the page on a range a few ulps wide
// (`t += step` stopped moving `t`); every loop here is bounded by a count, never by arithmetic progress.

const MAX_TICKS = 24;
// Beyond this a span (max − min) could overflow to Infinity; values past it are drawn at the plot's edge.
const LIMIT = 1e307;
// The smallest span relative to the values' magnitude: ticks then need at most ~10 significant digits, far from
// the 2.2e-16 spacing of doubles, so each tick differs from the last.
const MIN_RELATIVE_SPAN = 1e-9;
// Absolute floor, for values at or near zero (and denormals).
const MIN_ABSOLUTE_SPAN = 1e-300;

/**
 * payload.series → { aligned: [xs, ...ys], names, colors, alphas, widths, legend, singles, finitePoints, hidden }.
 * xs: the sorted union of every series' finite x; a series has `undefined` where it has no point (uPlot spans
 * it) and `null` where its value is not drawable (NaN, ±Inf, ≤ 0 on a log axis: a visible gap).
 */
export function prepare(payload) {
    const list = Array.isArray(payload?.series) ? payload.series : [];
    const logY = !!payload?.logY;
    const xs = new Set();
    const clean = list.map(s => {
        const x = Array.isArray(s?.x) ? s.x : [];
        const y = Array.isArray(s?.y) ? s.y : [];
        const n = Math.min(x.length, y.length);
        const points = [];
        let hidden = 0, finite = 0;
        for (let i = 0; i < n; i++) {
            const xv = x[i];
            if (typeof xv !== "number" || !Number.isFinite(xv)) { hidden++; continue; }
            let yv = y[i];
            if (typeof yv !== "number" || !Number.isFinite(yv) || (logY && yv <= 0)) { hidden++; yv = null; }
            else { finite++; yv = clamp(yv); }
            const xc = clamp(xv);
            xs.add(xc);
            points.push([xc, yv]);
        }
        return { s, points, hidden, finite };
    });
    const sorted = Float64Array.from(xs).sort();
    const index = new Map();
    sorted.forEach((v, i) => index.set(v, i));
    const aligned = [Array.from(sorted)];
    for (const c of clean) {
        const ys = new Array(sorted.length).fill(undefined);
        for (const [x, y] of c.points) ys[index.get(x)] = y;
        aligned.push(ys);
    }
    return {
        aligned,
        names: clean.map((c, i) => String(c.s?.name ?? `series ${i + 1}`)),
        colors: clean.map(c => String(c.s?.color ?? "#1976d2")),
        alphas: clean.map(c => (typeof c.s?.alpha === "number" ? c.s.alpha : 1)),
        widths: clean.map(c => (typeof c.s?.width === "number" && c.s.width > 0 ? Math.min(c.s.width, 8) : 1.5)),
        legend: clean.map(c => c.s?.legend !== false),
        singles: clean.map(c => c.finite === 1),
        finitePoints: clean.reduce((a, c) => a + c.finite, 0),
        // nonFinite: points the server already turned into gaps or dropped (JSON cannot carry NaN/±Inf).
        hidden: clean.reduce((a, c) => a + Math.max(c.hidden, c.s?.nonFinite | 0), 0),
    };
}

/**
 * [min, max] with min < max, both finite, max − min finite and at least MIN_RELATIVE_SPAN of their magnitude,
 * from any inputs (equal, a few ulps apart, reversed, NaN, ±Inf, ±1e308, denormal). On a log axis both are > 0.
 */
export function safeRange(min, max, log) {
    let lo = Number.isFinite(min) ? min : Number.isFinite(max) ? max : (log ? 1 : 0);
    let hi = Number.isFinite(max) ? max : lo;
    if (lo > hi) [lo, hi] = [hi, lo];
    if (log) {
        if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
        if (!(hi > 0)) hi = lo * 10;
        const fit = v => Math.min(Math.max(v, 1e-300), 1e300);
        lo = fit(lo); hi = fit(hi);
        if (hi / lo < 1 + 1e-6) return [lo / 1.25, hi * 1.25];
        return [lo, hi];
    }
    lo = clamp(lo); hi = clamp(hi);
    const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
    const minSpan = Math.max(magnitude * MIN_RELATIVE_SPAN, MIN_ABSOLUTE_SPAN);
    if (hi - lo < minSpan) {
        // Degenerate: centre a window on the values, 10 % of their magnitude (1 around zero), never below minSpan.
        const mid = lo / 2 + hi / 2;
        const half = Math.max(magnitude === 0 ? 1 : magnitude * 0.1, minSpan) / 2;
        lo = clamp(mid - half); hi = clamp(mid + half);
        if (!(hi > lo)) { lo = -1; hi = 1; }
        return [lo, hi];
    }
    // 4 % headroom so lines do not sit on the frame.
    const pad = (hi / 2 - lo / 2) * 0.08;
    return [clamp(lo - pad), clamp(hi + pad)];
}

/** "Nice" ticks (1, 2, 5 × 10ⁿ) inside [min, max], at most `count` (and MAX_TICKS) of them, each distinct. */
export function ticks(min, max, count) {
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) return [];
    const wanted = Math.max(1, Math.min(MAX_TICKS, Math.floor(Number.isFinite(count) ? count : 5)));
    // max/2 − min/2 cannot overflow where max − min could.
    const step0 = ((max / 2 - min / 2) * 2) / wanted;
    if (!Number.isFinite(step0) || step0 <= 0) return [min, max];
    const mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const norm = step0 / mag;
    const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    if (!Number.isFinite(step) || step <= 0) return [min, max];
    const first = Math.ceil(min / step);
    const out = [];
    for (let i = 0; i <= MAX_TICKS; i++) {
        const t = (first + i) * step;
        if (!(t <= max + step * 1e-9)) break;
        const v = Math.abs(t) < step * 1e-9 ? 0 : t;
        if (out.length > 0 && !(v > out[out.length - 1])) break; // no progress: stop, never loop
        out.push(v);
    }
    return out.length > 0 ? out : [min, max];
}

/** Ticks for a log axis: powers of ten when the range spans at least two, else linear ticks. */
export function logTicks(min, max, count) {
    if (!(min > 0) || !Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) return [];
    const first = Math.ceil(Math.log10(min) - 1e-9), last = Math.floor(Math.log10(max) + 1e-9);
    if (last - first < 1) return ticks(min, max, count);
    const every = Math.max(1, Math.ceil((last - first + 1) / Math.max(1, Math.min(MAX_TICKS, count | 0 || 5))));
    const out = [];
    for (let e = first; e <= last && out.length <= MAX_TICKS; e += every) out.push(Number(`1e${e}`));
    return out;
}

/** A tick label with as many decimals as the spacing needs (0.01536 and 0.01540 must not both read "0.0154"). */
export function formatTick(v, step) {
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (!(step > 0) || !Number.isFinite(step)) return formatValue(v);
    if (a < step * 1e-6) return "0";
    if (a >= 1e6 || (a !== 0 && a < 1e-3 && step < 1e-3)) {
        // Enough significant digits to tell neighbouring ticks apart.
        const digits = Math.max(1, Math.min(15, Math.ceil(Math.log10(a / step) + 1e-9)));
        return v.toExponential(digits);
    }
    if (a >= 1000 && step >= 100) return formatValue(v);
    const decimals = Math.max(0, Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)));
    return v.toFixed(decimals);
}

/** A value under the cursor or on a log axis: 4 significant digits, exponent outside [1e-3, 1e6). */
export function formatValue(v) {
    if (v == null) return "—";
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e6 || a < 1e-3) return v.toExponential(3);
    return Number(v.toPrecision(4)).toString();
}

/** Seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds) {
    if (!Number.isFinite(seconds)) return "—";
    const negative = seconds < 0;
    const s = Math.round(Math.abs(seconds));
    if (s >= 1e9) return `${negative ? "-" : ""}${(s / 86400).toExponential(2)} d`;
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const text = h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
    return negative ? `-${text}` : text;
}

function clamp(v) {
    return v > LIMIT ? LIMIT : v < -LIMIT ? -LIMIT : v;
}
