// The portal's training-curve charts, drawn by uPlot (fast canvas time series, cursor readout, drag-to-zoom,
// cursors synced across charts). The server sends LTTB-downsampled points; this module only makes them safe to draw.
// payload: { series: [{ name, color, alpha, width, x: [], y: [], legend }], xLabel, yLabel,
//            xFormat: "number"|"duration", logY, syncKey }
// Every entry point catches its own errors: a chart that cannot draw shows a message in its box and returns it,
// it never throws into Blazor (a JS exception in an interop call would end the user's circuit).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { prepare, safeRange, ticks, logTicks, formatTick, formatDuration, formatValue } from "./series.js";

const charts = new WeakMap();
const PLOT_MIN_HEIGHT = 60;

export { prepare, safeRange, ticks, logTicks };

/** Draws or updates the chart in `host` (a div). Returns null, or the error message it showed. */
export function draw(host, payload) {
    try {
        ensureStylesheet();
        render(host, payload ?? { series: [] });
        return null;
    } catch (e) {
        return fail(host, e);
    }
}

export function dispose(host) {
    try {
        const state = charts.get(host);
        state?.observer?.disconnect();
        state?.plot?.destroy();
        charts.delete(host);
    } catch (e) {
        console.warn("linechart: dispose failed", e);
    }
}

function fail(host, e) {
    const message = `Chart could not be drawn: ${e?.message ?? e}`;
    console.error("linechart:", e);
    try {
        dispose(host);
        host.replaceChildren(note(message, "line-chart-error"));
    } catch { /* the host itself is gone */ }
    return message;
}

function render(host, payload) {
    const data = prepare(payload);
    let state = charts.get(host);
    if (!state) {
        state = { plot: null, shape: null, observer: null };
        charts.set(host, state);
        if (typeof ResizeObserver !== "undefined") {
            state.observer = new ResizeObserver(() => {
                try { resize(host, state); } catch (e) { fail(host, e); }
            });
            state.observer.observe(host);
        }
    }
    host.dataset.finitePoints = String(data.finitePoints);
    if (data.finitePoints === 0) {
        state.plot?.destroy();
        state.plot = null;
        state.shape = null;
        host.replaceChildren(note(data.hidden > 0 ? `No finite values yet (${data.hidden} NaN/∞ hidden)` : "No data yet", "line-chart-empty"));
        return;
    }
    // Same series, same options: only the data changed (a live run's new points).
    const shape = JSON.stringify([data.names, data.colors, payload.logY, payload.xFormat, payload.xLabel, payload.yLabel, payload.syncKey]);
    if (state.plot && state.shape === shape) {
        state.plot.setData(data.aligned);
    } else {
        state.plot?.destroy();
        host.replaceChildren();
        state.plot = new uPlot(options(host, payload, data), data.aligned, host);
        state.shape = shape;
        // Faint raw copies stay out of the legend; the smoothed line's value stands for them.
        const rows = state.plot.root.querySelectorAll(".u-legend .u-series");
        data.legend.forEach((shown, i) => { if (!shown && rows[i + 1]) rows[i + 1].style.display = "none"; });
    }
    host.dataset.hidden = String(data.hidden);
}

function size(host) {
    const width = Math.max(120, host.clientWidth || 600);
    const height = Math.max(PLOT_MIN_HEIGHT, (host.clientHeight || 260) - 34);
    return { width, height };
}

function resize(host, state) {
    if (!state.plot) return;
    const next = size(host);
    if (next.width !== state.plot.width || next.height !== state.plot.height) state.plot.setSize(next);
}

function options(host, payload, data) {
    const duration = payload.xFormat === "duration";
    const logY = !!payload.logY;
    const xValue = v => (v == null ? "—" : duration ? formatDuration(v) : formatValue(v));
    const axisStroke = getComputedStyle(host).color || "#444";
    const grid = { stroke: "rgba(128,128,128,0.25)", width: 1 };
    const splits = (count, log) => (u, axisIdx, min, max) => (log ? logTicks : ticks)(min, max, count(u));
    return {
        ...size(host),
        // uPlot asks for a range from the visible data (or the zoom): safeRange makes it finite, non-empty and
        // wide enough for distinct ticks, whatever the values.
        scales: {
            x: { time: false, range: (u, min, max) => safeRange(min, max, false) },
            y: { distr: logY ? 3 : 1, log: 10, range: (u, min, max) => safeRange(min, max, logY) },
        },
        cursor: payload.syncKey ? { sync: { key: payload.syncKey, scales: ["x", null] } } : {},
        legend: { live: true },
        series: [
            { label: payload.xLabel || "x", value: (u, v) => xValue(v) },
            ...data.names.map((name, i) => ({
                label: name,
                stroke: withAlpha(data.colors[i], data.alphas[i]),
                width: data.widths[i],
                spanGaps: false,
                points: { show: data.singles[i] },
                value: (u, v) => (v == null ? "—" : formatValue(v)),
            })),
        ],
        axes: [
            {
                label: payload.xLabel || undefined, stroke: axisStroke, grid, ticks: grid,
                splits: splits(u => Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 90)), false),
                values: (u, vals) => {
                    const step = vals.length > 1 ? vals[1] - vals[0] : 1;
                    return vals.map(v => (duration ? formatDuration(v) : formatTick(v, step)));
                },
            },
            {
                label: payload.yLabel || undefined, stroke: axisStroke, grid, ticks: grid, size: 64,
                splits: splits(u => Math.max(2, Math.floor(u.bbox.height / devicePixelRatio / 40)), logY),
                values: (u, vals) => {
                    const step = vals.length > 1 ? vals[1] - vals[0] : 1;
                    return vals.map(v => (logY ? formatValue(v) : formatTick(v, step)));
                },
            },
        ],
    };
}

function withAlpha(color, alpha) {
    if (alpha == null || alpha >= 1) return color;
    const m = /^#([0-9a-f]{6})$/i.exec(color ?? "");
    if (!m) return color;
    const n = parseInt(m[1], 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function note(text, cls) {
    const div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    div.style.cssText = "padding:24px 16px;opacity:.75;font-size:.875rem";
    return div;
}

// esbuild writes the imported uPlot CSS next to this bundle; link it once.
function ensureStylesheet() {
    if (document.querySelector("link[data-linechart-css]")) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("./linechart.css", import.meta.url).href;
    link.dataset.linechartCss = "";
    document.head.appendChild(link);
}
