import { utilities } from '@cornerstonejs/core';

const textStyle = 'position:absolute;right:4px;bottom:2px;color:#ddd;font:12px sans-serif;z-index:2;' +
  'pointer-events:none;text-align:right;white-space:pre;text-shadow:0 0 2px #000';

function formatNumber(v, digits) {
  return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

/**
 * Voxel under the mouse: indices (i, j, k) of the NIfTI file, its world position in mm and the image
 * value there, plus the label's name while the overlay is shown. Cornerstone's world space is DICOM
 * LPS (its NIfTI loader flips x and y of the file's RAS affine), so the readout flips them back:
 * the millimetres are those of the NIfTI affine applied to (i, j, k).
 * source() returns { image, label, legend, labelsShown } of the volumes on screen (or null).
 */
export function trackCursor(cells, viewportFor, source) {
  let last = null;
  const clear = (cell) => {
    cell.readout.textContent = '';
  };
  const onMove = (cell, evt) => {
    const state = source();
    if (!state?.image) return clear(cell);
    const viewport = viewportFor(cell.plane.name);
    const rect = cell.element.getBoundingClientRect();
    const world = viewport.canvasToWorld([evt.clientX - rect.left, evt.clientY - rect.top]);
    const reading = readVoxel(state, world);
    last = reading && { plane: cell.plane.name, ...reading };
    cell.readout.textContent = reading ? describe(reading) : '';
    cell.readout.dataset.ijk = reading ? reading.ijk.join(',') : '';
  };
  const handlers = cells.map((cell) => {
    const readout = document.createElement('span');
    readout.dataset.readout = cell.plane.name;
    readout.style.cssText = textStyle;
    cell.readout = readout;
    const move = (evt) => onMove(cell, evt);
    const leave = () => clear(cell);
    cell.element.addEventListener('mousemove', move);
    cell.element.addEventListener('mouseleave', leave);
    return [cell, move, leave];
  });
  return {
    /** Adds the readout text to each cell (after Cornerstone created its canvas there). */
    attach() {
      for (const cell of cells) cell.element.appendChild(cell.readout);
    },
    /** The last reading: { plane, ijk, mm, value, label, labelName } or null (outside the volume). */
    last: () => last,
    destroy() {
      for (const [cell, move, leave] of handlers) {
        cell.element.removeEventListener('mousemove', move);
        cell.element.removeEventListener('mouseleave', leave);
      }
    },
  };
}

/** The voxel at a world (LPS) point, or null outside the image. */
export function readVoxel(state, world) {
  const { imageData, dimensions, voxelManager } = state.image;
  const ijk = utilities.transformWorldToIndex(imageData, world);
  if (!ijk.every((v, axis) => v >= 0 && v < dimensions[axis])) return null;
  const [x, y, z] = imageData.indexToWorld(ijk);
  const reading = { ijk, mm: [-x, -y, z], value: voxelManager.getAtIJK(...ijk), label: null, labelName: null };
  if (state.label && state.labelsShown) {
    reading.label = state.label.voxelManager.getAtIJK(...ijk);
    reading.labelName = reading.label > 0
      ? state.legend.find((e) => e.id === reading.label)?.name ?? `class ${reading.label}`
      : 'background';
  }
  return reading;
}

function describe({ ijk, mm, value, labelName }) {
  const lines = [
    `voxel (${ijk.join(', ')}) = ${formatNumber(value, 4)}`,
    `${mm.map((v) => v.toFixed(2)).join(", ")} mm (RAS)`,
  ];
  if (labelName) lines.push(labelName);
  return lines.join('\n');
}
