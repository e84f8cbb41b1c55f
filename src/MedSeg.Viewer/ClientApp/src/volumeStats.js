// Intensity statistics of a loaded volume for window/level presets and image-kind detection.

const histogramBins = 2048;

/**
 * { min, max, mean, sd, p1, p99 } over the finite voxels (NaN and ±Inf are skipped; an image
 * without finite voxels reports 0 for all). Percentiles come from a histogram of the range.
 */
export function intensityStats(data) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    n++;
  }
  if (n === 0) return { min: 0, max: 0, mean: 0, sd: 0, p1: 0, p99: 0 };
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  if (max === min) return { min, max, mean, sd, p1: min, p99: max };
  const counts = new Float64Array(histogramBins);
  const scale = (histogramBins - 1) / (max - min);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) counts[Math.floor((v - min) * scale)]++;
  }
  const percentile = (fraction) => {
    const target = fraction * n;
    let seen = 0;
    for (let b = 0; b < histogramBins; b++) {
      seen += counts[b];
      if (seen >= target) return min + b / scale;
    }
    return max;
  };
  return { min, max, mean, sd, p1: percentile(0.01), p99: percentile(0.99) };
}
