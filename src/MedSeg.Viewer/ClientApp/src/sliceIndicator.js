import { Enums } from '@cornerstonejs/core';

/**
 * Keeps each cell's "slice i / n" text (1-based, as viewers show it) in step with its viewport:
 * scrolling, crosshairs and loads all move the camera, so CAMERA_MODIFIED is the one event to follow.
 */
export function trackSliceIndex(cells, viewportFor) {
  const update = (cell) => {
    const viewport = viewportFor(cell.plane.name);
    let text = '';
    try {
      const count = viewport?.getNumberOfSlices?.() ?? 0;
      if (count > 0 && viewport.getDefaultActor?.()) text = `slice ${viewport.getSliceIndex() + 1} / ${count}`;
    } catch {
      text = ''; // no volume in the viewport yet
    }
    cell.sliceLabel.textContent = text;
  };
  const listeners = cells.map((cell) => {
    const listener = () => update(cell);
    cell.element.addEventListener(Enums.Events.CAMERA_MODIFIED, listener);
    return [cell, listener];
  });
  return {
    updateAll() {
      for (const cell of cells) update(cell);
    },
    destroy() {
      for (const [cell, listener] of listeners) cell.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, listener);
    },
  };
}
