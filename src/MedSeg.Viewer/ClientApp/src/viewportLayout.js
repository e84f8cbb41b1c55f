import { Enums } from '@cornerstonejs/core';

/** The three orthogonal planes, in display order. */
export const planes = [
  { name: 'axial', orientation: Enums.OrientationAxis.AXIAL },
  { name: 'coronal', orientation: Enums.OrientationAxis.CORONAL },
  { name: 'sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
];

export const layouts = Object.freeze(['1x3', '1x1']);

const overlayText = 'position:absolute;color:#ddd;font:12px sans-serif;z-index:2;pointer-events:none;' +
  'text-shadow:0 0 2px #000';
const buttonStyle = 'position:absolute;right:4px;top:2px;z-index:3;width:22px;height:20px;padding:0;' +
  'border:1px solid #888;border-radius:3px;background:rgba(0,0,0,.55);color:#eee;font:13px sans-serif;cursor:pointer';

/**
 * Creates one cell per plane inside the host element, each with its caption, slice index and a
 * maximise/restore button. Styles are inline so the layout works in any page (Blazor CSS isolation
 * does not reach elements created here). Returns [{ plane, element, caption, sliceLabel, toggle }].
 */
export function createViewportElements(host) {
  host.style.display = 'grid';
  host.style.gap = host.style.gap || '4px';
  host.style.gridAutoRows = 'minmax(0, 1fr)';
  return planes.map((plane) => {
    const cell = document.createElement('div');
    cell.dataset.viewport = plane.name;
    cell.className = 'medseg-viewport';
    cell.style.position = 'relative';
    cell.style.width = '100%';
    cell.style.height = '100%';
    cell.style.minHeight = '0';
    cell.style.background = '#000';
    cell.style.overflow = 'hidden';
    cell.oncontextmenu = (e) => e.preventDefault();
    const caption = document.createElement('span');
    caption.textContent = plane.name;
    caption.style.cssText = `${overlayText};left:4px;top:2px`;
    const sliceLabel = document.createElement('span');
    sliceLabel.dataset.sliceIndex = plane.name;
    sliceLabel.style.cssText = `${overlayText};left:4px;bottom:2px`;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.dataset.maximize = plane.name;
    toggle.style.cssText = buttonStyle;
    host.appendChild(cell);
    return { plane, element: cell, caption, sliceLabel, toggle };
  });
}

/** Adds the overlays after Cornerstone has created its canvas inside each cell. */
export function addCaptions(cells) {
  for (const { element, caption, sliceLabel, toggle } of cells) {
    element.append(caption, sliceLabel, toggle);
  }
}

/**
 * Which cells show and how tall the views are: '1x3' shows the three planes side by side, '1x1'
 * one plane over the full width. The host's height follows the layout (square 1x3 cells; a 1x1
 * view as tall as the width allows, up to 75 % of the window) until the user resizes it by its
 * corner handle (CSS resize); a layout switch starts from the layout's height again.
 */
export class ViewLayout {
  constructor(host, cells, onChange) {
    this.host = host;
    this.cells = cells;
    this.onChange = onChange;
    this.layout = '1x3';
    this.plane = planes[0].name;
    this.restoreTo = '1x3';
    host.style.resize = 'vertical';
    host.style.overflow = 'hidden';
    host.style.minHeight = '120px';
    for (const cell of cells) {
      cell.toggle.onclick = (e) => {
        e.stopPropagation();
        if (this.layout === '1x1') this.restore();
        else this.maximize(cell.plane.name);
      };
      cell.element.ondblclick = () => (this.layout === '1x1' ? this.restore() : this.maximize(cell.plane.name));
    }
  }

  /** layout: '1x3' or '1x1'; plane: the plane a one-view layout shows (default: the last one shown). */
  set(layout, plane = this.plane) {
    if (!layouts.includes(layout)) throw new Error(`Unknown layout "${layout}" (known: ${layouts.join(', ')})`);
    if (!planes.some((p) => p.name === plane)) {
      throw new Error(`Unknown plane "${plane}" (known: ${planes.map((p) => p.name).join(', ')})`);
    }
    this.layout = layout;
    this.plane = plane;
    const single = layout === '1x1';
    this.host.style.gridTemplateColumns = single ? 'minmax(0, 1fr)' : `repeat(${planes.length}, minmax(0, 1fr))`;
    for (const cell of this.cells) {
      const shown = !single || cell.plane.name === plane;
      cell.element.style.display = shown ? '' : 'none';
      cell.toggle.textContent = single ? '⤡' : '⤢';
      cell.toggle.title = single ? 'Restore the previous layout (double-click)' : `Maximise the ${cell.plane.name} view (double-click)`;
    }
    this.fitHeight();
    this.onChange?.(this.state());
  }

  maximize(plane) {
    if (this.layout !== '1x1') this.restoreTo = this.layout;
    this.set('1x1', plane);
  }

  restore() {
    this.set(this.restoreTo === '1x1' ? '1x3' : this.restoreTo);
  }

  fitHeight() {
    const width = this.host.clientWidth || this.host.getBoundingClientRect().width;
    const columns = this.layout === '1x1' ? 1 : planes.length;
    const gap = parseFloat(getComputedStyle(this.host).columnGap) || 0;
    const square = (width - gap * (columns - 1)) / columns;
    const height = this.layout === '1x1' ? Math.min(square, 0.75 * window.innerHeight) : square;
    this.host.style.height = this.fittedHeight = `${Math.max(120, Math.round(height))}px`;
  }

  /** The host changed size: refits the height to a new width unless the user has resized the views. */
  hostResized() {
    const width = this.host.clientWidth;
    if (width === this.fittedWidth) return;
    this.fittedWidth = width;
    if (this.host.style.height === this.fittedHeight) this.fitHeight();
  }

  state() {
    return { layout: this.layout, plane: this.plane };
  }

  visiblePlanes() {
    return this.layout === '1x1' ? [this.plane] : planes.map((p) => p.name);
  }
}
