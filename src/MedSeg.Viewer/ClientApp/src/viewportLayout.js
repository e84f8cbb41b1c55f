import { Enums } from '@cornerstonejs/core';

/** The three orthogonal planes, in display order. */
export const planes = [
  { name: 'axial', orientation: Enums.OrientationAxis.AXIAL },
  { name: 'coronal', orientation: Enums.OrientationAxis.CORONAL },
  { name: 'sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
];

/**
 * Creates one square cell per plane inside the host element. Styles are inline so the layout
 * works in any page (Blazor CSS isolation does not reach elements created here).
 */
export function createViewportElements(host) {
  host.style.display = 'grid';
  host.style.gridTemplateColumns = `repeat(${planes.length}, minmax(0, 1fr))`;
  host.style.gap = host.style.gap || '4px';
  return planes.map((plane) => {
    const cell = document.createElement('div');
    cell.dataset.viewport = plane.name;
    cell.className = 'medseg-viewport';
    cell.style.position = 'relative';
    cell.style.aspectRatio = '1 / 1';
    cell.style.width = '100%';
    cell.style.background = '#000';
    cell.style.overflow = 'hidden';
    cell.oncontextmenu = (e) => e.preventDefault();
    const caption = document.createElement('span');
    caption.textContent = plane.name;
    caption.style.cssText =
      'position:absolute;left:4px;top:2px;color:#ddd;font:12px sans-serif;z-index:2;pointer-events:none';
    host.appendChild(cell);
    const wrapper = { plane, element: cell, caption };
    return wrapper;
  });
}

/** Adds the plane captions after Cornerstone has created its canvas inside each cell. */
export function addCaptions(cells) {
  for (const { element, caption } of cells) {
    element.appendChild(caption);
  }
}
