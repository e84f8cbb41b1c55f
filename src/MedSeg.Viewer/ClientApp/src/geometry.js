// Image and label map must share the voxel grid: the label map is drawn voxel-for-voxel.

function near(a, b, tolerance) {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
}

function fmt(values) {
  return '[' + Array.from(values, (v) => +Number(v).toFixed(4)).join(', ') + ']';
}

/** Returns null when the two volumes share a grid, otherwise a message naming the field and values. */
export function geometryMismatch(image, label) {
  const minSpacing = Math.min(...image.spacing);
  const checks = [
    ['dimensions', image.dimensions, label.dimensions, 0],
    ['spacing', image.spacing, label.spacing, 1e-3 * minSpacing],
    ['origin', image.origin, label.origin, 1e-2 * minSpacing],
    ['direction', image.direction, label.direction, 1e-4],
  ];
  for (const [field, a, b, tolerance] of checks) {
    if (!near(Array.from(a), Array.from(b), tolerance)) {
      return `label map ${field} ${fmt(b)} differs from image ${field} ${fmt(a)}`;
    }
  }
  return null;
}
