// Window/level presets. CT presets are fixed Hounsfield windows; the others follow the loaded
// image's statistics (range, percentiles, mean/sd), because synthetic and fused images have no
// fixed intensity scale and a CT window washes them out.

/** CT window/level presets (width, center) in Hounsfield units. */
export const windowLevelPresets = Object.freeze({
  softTissue: { label: 'Soft tissue', width: 400, center: 40 },
  lung: { label: 'Lung', width: 1500, center: -600 },
  liver: { label: 'Liver', width: 150, center: 90 },
  bone: { label: 'Bone', width: 2500, center: 480 },
  brain: { label: 'Brain', width: 80, center: 40 },
});

/** Presets computed from the image's statistics: stats -> { lower, upper }. */
const statPresets = Object.freeze({
  auto: { label: 'Full range', range: (s) => ({ lower: s.min, upper: s.max }) },
  robust: { label: 'Robust (1–99 %)', range: (s) => ({ lower: s.p1, upper: s.p99 }) },
  sigma2: { label: 'Mean ± 2 SD', range: (s) => ({ lower: s.mean - 2 * s.sd, upper: s.mean + 2 * s.sd }) },
  outlines: { label: 'Outlines', range: (s) => ({ lower: s.min, upper: s.min + 0.6 * (s.max - s.min) }) },
});

/** The image kinds the viewer knows, their preset buttons and the preset applied after a load. */
export const imageKinds = Object.freeze({
  ct: { label: 'CT (HU)', presets: ['softTissue', 'lung', 'liver', 'bone', 'brain', 'auto'], initial: 'softTissue' },
  synthetic: { label: 'Synthetic', presets: ['auto', 'outlines', 'robust'], initial: 'auto' },
  fused: { label: 'Fused (float)', presets: ['robust', 'sigma2', 'auto'], initial: 'robust' },
  generic: { label: 'Other', presets: ['auto', 'robust', 'softTissue', 'bone'], initial: 'auto' },
});

/**
 * The kind of an image from its statistics when the caller does not say: CT has air far below
 * zero and tissue above it; synthetic images (AVS-DB, phantoms) are non-negative within 0..255
 * (0..1 when scaled); fused VolF samples are z-scored floats around zero.
 */
export function detectImageKind(stats) {
  const { min, max } = stats;
  if (min <= -500 && max >= 100) return 'ct';
  if (min >= 0 && max <= 255) return 'synthetic';
  if (min < 0 && min >= -50 && max <= 50) return 'fused';
  return 'generic';
}

/** Throws unless kind is one of imageKinds (or 'auto', meaning detect). */
export function checkImageKind(kind) {
  if (kind !== 'auto' && !imageKinds[kind]) {
    throw new Error(`Unknown image kind "${kind}" (known: auto, ${Object.keys(imageKinds).join(', ')})`);
  }
}

/** Label and VOI range { lower, upper } of a preset for an image with these statistics. */
export function presetRange(name, stats) {
  const ct = windowLevelPresets[name];
  if (ct) return { label: ct.label, ...toVoiRange(ct.width, ct.center) };
  const stat = statPresets[name];
  if (!stat) {
    throw new Error(`Unknown window/level preset "${name}" (known: ${allPresetNames().join(', ')})`);
  }
  if (!stats) throw new Error(`applyPreset("${name}"): no volume loaded`);
  const { lower, upper } = stat.range(stats);
  // A constant image (or a degenerate percentile window) still needs a non-empty window.
  return upper > lower && Number.isFinite(lower) && Number.isFinite(upper)
    ? { label: stat.label, lower, upper }
    : { label: stat.label, lower: stats.min - 1, upper: stats.max + 1 };
}

export function presetLabel(name) {
  return (windowLevelPresets[name] ?? statPresets[name])?.label ?? name;
}

export function allPresetNames() {
  return [...Object.keys(statPresets), ...Object.keys(windowLevelPresets)];
}

/** Converts a width/center pair to the VOI range Cornerstone viewports take. */
export function toVoiRange(width, center) {
  if (!(width > 0)) {
    throw new Error(`Window width must be positive, got ${width}`);
  }
  return { lower: center - width / 2, upper: center + width / 2 };
}
