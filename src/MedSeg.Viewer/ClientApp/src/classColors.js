// Fixed, distinguishable class colours (RGB) so the same class id always gets the same colour.
const palette = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48],
  [145, 30, 180], [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212],
  [0, 128, 128], [220, 190, 255], [170, 110, 40], [255, 250, 200], [128, 0, 0],
  [170, 255, 195], [128, 128, 0], [255, 215, 180], [0, 0, 128], [128, 128, 128],
];

export function colorForClass(classId) {
  return palette[(classId - 1) % palette.length];
}

function toHex([r, g, b]) {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex, id) {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) {
    throw new Error(`Legend entry ${id}: colour "${hex}" is not of the form #rrggbb`);
  }
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}

/**
 * Builds the Cornerstone colour LUT (index = label value, RGBA 0-255, 0 = transparent background)
 * and the legend handed back to .NET. classNames maps label value -> name; entries (optional, the
 * caller's legend: [{ id, name, color: '#rrggbb' or empty }]) name and colour classes explicitly
 * and take precedence. Label values present in the data but not named still get a colour
 * (named "class N").
 */
export function buildColorLut(classNames, labelValues, entries = []) {
  const given = new Map();
  for (const entry of entries ?? []) {
    const id = Number(entry.id);
    if (!Number.isInteger(id) || id < 1 || id > 255) {
      throw new Error(`Legend entry "${entry.name}": id ${entry.id} is not a label value in 1..255`);
    }
    given.set(id, { name: entry.name, rgb: entry.color ? fromHex(entry.color, id) : colorForClass(id) });
  }
  const ids = new Set([...labelValues.filter((v) => v > 0), ...given.keys()]);
  for (const key of Object.keys(classNames ?? {})) {
    const id = Number(key);
    if (Number.isInteger(id) && id > 0) ids.add(id);
  }
  const rgbOf = (id) => given.get(id)?.rgb ?? colorForClass(id);
  const maxId = Math.max(0, ...ids);
  const lut = [[0, 0, 0, 0]];
  for (let id = 1; id <= Math.max(maxId, 1); id++) {
    lut.push([...rgbOf(id), 255]);
  }
  const present = new Set(labelValues);
  const legend = [...ids].sort((a, b) => a - b).map((id) => ({
    id,
    name: given.get(id)?.name ?? classNames?.[id] ?? classNames?.[String(id)] ?? `class ${id}`,
    color: toHex(rgbOf(id)),
    present: present.has(id),
  }));
  return { lut, legend };
}
