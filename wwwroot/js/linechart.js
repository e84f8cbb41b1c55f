// A small canvas line chart for the portal's training curves. SVG charts (MudChart) create one DOM node per point
// and stall with long runs; the server already sends LTTB-downsampled points, so this only draws polylines.
// payload: { series: [{ name, color, alpha, width, x: [], y: [], legend }], xLabel, yLabel, xFormat: "number"|"duration", logY }

const observers = new WeakMap();

export function draw(canvas, payload) {
    canvas.__chartPayload = payload;
    if (!observers.has(canvas) && typeof ResizeObserver !== "undefined") {
        const observer = new ResizeObserver(() => render(canvas));
        observer.observe(canvas.parentElement ?? canvas);
        observers.set(canvas, observer);
    }
    render(canvas);
}

export function dispose(canvas) {
    observers.get(canvas)?.disconnect();
    observers.delete(canvas);
    delete canvas.__chartPayload;
}

function render(canvas) {
    const payload = canvas.__chartPayload;
    if (!payload) return;
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth || 600;
    const cssHeight = canvas.clientHeight || 260;
    if (canvas.width !== Math.round(cssWidth * ratio)) canvas.width = Math.round(cssWidth * ratio);
    if (canvas.height !== Math.round(cssHeight * ratio)) canvas.height = Math.round(cssHeight * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);

    const style = getComputedStyle(canvas);
    const textColor = style.color || "#444";
    const gridColor = "rgba(128,128,128,0.25)";
    const font = "11px Roboto, Helvetica, Arial, sans-serif";
    ctx.font = font;

    const logY = !!payload.logY;
    const ty = v => (logY ? (v > 0 ? Math.log10(v) : NaN) : v);
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const s of payload.series) {
        for (let i = 0; i < s.x.length; i++) {
            const y = ty(s.y[i]);
            if (!Number.isFinite(y) || !Number.isFinite(s.x[i])) continue;
            xMin = Math.min(xMin, s.x[i]); xMax = Math.max(xMax, s.x[i]);
            yMin = Math.min(yMin, y); yMax = Math.max(yMax, y);
        }
    }
    const margin = { left: 58, right: 12, top: 22, bottom: 34 };
    if (!Number.isFinite(xMin)) {
        ctx.fillStyle = textColor;
        ctx.fillText("No data yet", margin.left + 8, margin.top + 20);
        return;
    }
    if (xMax === xMin) { xMax = xMin + 1; }
    if (yMax === yMin) { const pad = Math.abs(yMin) * 0.05 || 1; yMin -= pad; yMax += pad; }
    const yPad = (yMax - yMin) * 0.04; yMin -= yPad; yMax += yPad;
    // Room for the widest y tick label plus the rotated axis title.
    const plotH = Math.max(10, cssHeight - margin.top - margin.bottom);
    const yTicks = ticks(yMin, yMax, Math.max(2, Math.floor(plotH / 40)));
    const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
    const yText = t => (logY ? formatNumber(Math.pow(10, t)) : formatTick(t, yStep));
    margin.left = Math.max(40, Math.ceil(Math.max(...yTicks.map(t => ctx.measureText(yText(t)).width))) + (payload.yLabel ? 26 : 10));
    const plotW = Math.max(10, cssWidth - margin.left - margin.right);
    const px = x => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
    const py = y => margin.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

    // Grid and tick labels.
    ctx.strokeStyle = gridColor; ctx.fillStyle = textColor; ctx.lineWidth = 1;
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (const t of yTicks) {
        const y = py(t);
        ctx.beginPath(); ctx.moveTo(margin.left, y); ctx.lineTo(margin.left + plotW, y); ctx.stroke();
        ctx.fillText(yText(t), margin.left - 6, y);
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    const xTicks = ticks(xMin, xMax, Math.max(2, Math.floor(plotW / 90)));
    const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
    for (const t of xTicks) {
        const x = px(t);
        ctx.beginPath(); ctx.moveTo(x, margin.top); ctx.lineTo(x, margin.top + plotH); ctx.stroke();
        ctx.fillText(payload.xFormat === "duration" ? formatDuration(t) : formatTick(t, xStep), x, margin.top + plotH + 4);
    }
    if (payload.xLabel) ctx.fillText(payload.xLabel, margin.left + plotW / 2, margin.top + plotH + 18);
    if (payload.yLabel) {
        ctx.save(); ctx.translate(12, margin.top + plotH / 2); ctx.rotate(-Math.PI / 2);
        ctx.textBaseline = "middle"; ctx.fillText(payload.yLabel, 0, 0); ctx.restore();
    }

    // Lines, clipped to the plot.
    ctx.save();
    ctx.beginPath(); ctx.rect(margin.left, margin.top, plotW, plotH); ctx.clip();
    for (const s of payload.series) {
        ctx.strokeStyle = s.color; ctx.globalAlpha = s.alpha ?? 1; ctx.lineWidth = s.width ?? 1.5;
        ctx.lineJoin = "round";
        ctx.beginPath();
        let pen = false;
        for (let i = 0; i < s.x.length; i++) {
            const y = ty(s.y[i]);
            if (!Number.isFinite(y)) { pen = false; continue; }
            if (pen) ctx.lineTo(px(s.x[i]), py(y)); else { ctx.moveTo(px(s.x[i]), py(y)); pen = true; }
        }
        if (s.x.length === 1) ctx.arc(px(s.x[0]), py(ty(s.y[0])), 2, 0, 2 * Math.PI);
        ctx.stroke();
    }
    ctx.restore();
    ctx.globalAlpha = 1;

    // Legend (only entries marked for it: the smoothed lines, not their faint raw copies).
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    let lx = margin.left + 4;
    for (const s of payload.series.filter(s => s.legend)) {
        ctx.fillStyle = s.color; ctx.fillRect(lx, 6, 14, 3);
        ctx.fillStyle = textColor; ctx.fillText(s.name, lx + 18, 8);
        lx += 26 + ctx.measureText(s.name).width;
    }
}

function ticks(min, max, count) {
    const span = max - min;
    const step0 = span / count;
    const mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const norm = step0 / mag;
    const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    const out = [];
    for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
}

// A tick label with as many decimals as the tick spacing needs (0.01536 and 0.01540 must not both read "0.0154").
function formatTick(v, step) {
    const a = Math.abs(v);
    if (a < step * 1e-6) return "0";
    if (a >= 1e6 || (a !== 0 && a < 1e-3 && step < 1e-3)) return v.toExponential(1);
    if (a >= 1000 && step >= 100) return formatNumber(v);
    const decimals = Math.max(0, Math.min(10, Math.ceil(-Math.log10(step) - 1e-9)));
    return v.toFixed(decimals);
}

function formatNumber(v) {
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
    if (a >= 1000) return (v / 1000).toFixed(a >= 10000 ? 0 : 1) + "k";
    return Number(v.toPrecision(3)).toString();
}

function formatDuration(seconds) {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}
