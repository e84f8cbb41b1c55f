import { RenderingEngine, Enums, eventTarget, setVolumesForViewports, utilities } from '@cornerstonejs/core';
import { segmentation, Enums as ToolEnums } from '@cornerstonejs/tools';
import { ensureCornerstone, hasWebGl2 } from './cornerstoneSetup.js';
import { planes, createViewportElements, addCaptions, ViewLayout } from './viewportLayout.js';
import { createTools } from './toolSetup.js';
import { loadUrl, loadNiftiVolume, releaseVolume, distinctValues, volumeData, setInitialWindow } from './volumeSource.js';
import { geometryMismatch } from './geometry.js';
import { buildColorLut } from './classColors.js';
import {
  allPresetNames, checkImageKind, detectImageKind, imageKinds, presetLabel, presetRange, toVoiRange,
} from './windowLevelPresets.js';
import { intensityStats } from './volumeStats.js';
import { trackSliceIndex } from './sliceIndicator.js';
import { trackCursor } from './cursorReadout.js';
import { bindShortcuts } from './keyboardShortcuts.js';

const segmentationRenderTimeoutMs = 10_000;

/** Resolves once segmentationId has rendered in every viewport (or after a timeout, so nothing hangs). */
function whenSegmentationRendered(segmentationId, viewportIds) {
  return new Promise((resolve) => {
    const waiting = new Set(viewportIds);
    const done = () => {
      clearTimeout(timer);
      eventTarget.removeEventListener(ToolEnums.Events.SEGMENTATION_RENDERED, onRendered);
      resolve();
    };
    const onRendered = (evt) => {
      if (evt.detail?.segmentationId !== segmentationId) return;
      waiting.delete(evt.detail.viewportId);
      if (waiting.size === 0) done();
    };
    const timer = setTimeout(done, segmentationRenderTimeoutMs);
    eventTarget.addEventListener(ToolEnums.Events.SEGMENTATION_RENDERED, onRendered);
  });
}

const volumeScheme = 'cornerstoneStreamingImageVolume';
const maxLabelValues = 255;
let viewerCount = 0;

/**
 * Three orthogonal volume viewports (axial, coronal, sagittal) in one RenderingEngine with an
 * optional label map overlay, shown side by side (1x3) or one maximised (1x1), with slice index,
 * cursor readout and keyboard shortcuts. All state lives here so dispose() can release every resource.
 * options: { labelOpacity?: 0..1, layout?: '1x3' | '1x1', plane?: the 1x1 plane,
 *            onLayoutChanged?: ({ layout, plane }) => void }.
 */
export class SliceViewer {
  constructor(host, options = {}) {
    if (!(host instanceof HTMLElement)) throw new Error('createViewer: element must be an HTMLElement');
    if (!hasWebGl2()) {
      throw new Error('This browser cannot create a WebGL2 context; the slice viewer needs WebGL2.');
    }
    ensureCornerstone();
    this.prefix = `medseg-viewer-${++viewerCount}`;
    this.host = host;
    this.labelOpacity = options.labelOpacity ?? 0.5;
    this.labelsShown = true;
    this.loadGeneration = 0;
    // Volume loads still streaming slices, and the viewport switch in flight (setVolumesForViewports,
    // which reloads the middle slice for the default VOI and then fires VOI_MODIFIED, whose VOI
    // synchroniser renders the viewports). Releasing a volume or destroying the engine while either
    // runs makes their callbacks reach a purged cache / destroyed engine, so both are awaited first.
    this.pendingLoads = new Set();
    this.attaching = Promise.resolve();
    this.current = null; // { image, label, segmentationId, colorLutIndex, legend, range, stats, kind, preset }
    this.cells = createViewportElements(host);
    this.layout = new ViewLayout(host, this.cells, (state) => options.onLayoutChanged?.(state));
    this.layout.set(options.layout ?? '1x3', options.plane ?? planes[0].name);
    this.viewportIds = planes.map((p) => `${this.prefix}-${p.name}`);
    this.engine = new RenderingEngine(`${this.prefix}-engine`);
    this.engine.setViewports(this.cells.map((cell, i) => ({
      viewportId: this.viewportIds[i],
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: cell.element,
      defaultOptions: { orientation: cell.plane.orientation, background: [0, 0, 0] },
    })));
    addCaptions(this.cells);
    const viewportOf = (plane) => this.engine?.getViewport(this.viewportIds[planes.findIndex((p) => p.name === plane)]);
    this.sliceIndex = trackSliceIndex(this.cells, viewportOf);
    this.cursor = trackCursor(this.cells, viewportOf, () => this.current && {
      image: this.current.image.volume,
      label: this.current.label?.volume,
      legend: this.current.legend,
      labelsShown: this.labelsShown && this.labelOpacity > 0,
    });
    this.cursor.attach();
    this.shortcuts = bindShortcuts(host, this.cells, (action, plane) => this.runShortcut(action, plane));
    this.trackVolumeWork();
    this.tools = createTools(this.prefix, this.engine.id, this.viewportIds);
    this.resizeObserver = new ResizeObserver(() => {
      this.layout.hostResized();
      this.engine?.resize(true, true);
    });
    this.resizeObserver.observe(host);
  }

  /**
   * Shows imageUrl (and labelUrl as a label map, if given). classNames maps label value -> name.
   * options: { kind?: 'auto' | 'ct' | 'synthetic' | 'fused' | 'generic' (picks the window/level
   * presets; 'auto' detects it from the intensities), legend?: [{ id, name, color }] (names and
   * colours the classes; takes precedence over classNames) }.
   * Returns { legend, dimensions, spacing, range, labelValues, kind, presets: [{ key, label }], preset }.
   */
  async loadVolume(imageUrl, labelUrl, classNames, options = {}) {
    this.throwIfDisposed();
    if (!imageUrl) throw new Error('loadVolume: imageUrl is required');
    const kind = options?.kind ?? 'auto';
    checkImageKind(kind);
    const legendEntries = options?.legend ?? [];
    buildColorLut(classNames, [], legendEntries); // checks the entries before any download
    const generation = ++this.loadGeneration;
    const tag = `${this.prefix}-${generation}`;
    const next = { image: null, label: null, segmentationId: null, colorLutIndex: null, legend: [] };
    const loading = this.loadInto(next, imageUrl, labelUrl, tag);
    this.pendingLoads.add(loading);
    try {
      await loading;
      // One viewport switch at a time: the previous one must finish before its volume can be released.
      await this.attaching;
      if (generation !== this.loadGeneration || this.disposed) {
        this.release(next); // a newer load (or dispose) overtook this one
        return null;
      }
    } catch (e) {
      this.release(next);
      throw e;
    } finally {
      this.pendingLoads.delete(loading);
    }

    // Swap synchronously so an overlapping load always releases exactly what it replaces.
    const previous = this.current;
    this.current = next;
    this.removeSegmentation(previous);
    const showing = this.show(next, previous, labelUrl, classNames, kind, legendEntries);
    this.attaching = showing.then(() => {}, () => {});
    return showing;
  }

  /**
   * Switches the viewports to next (releasing previous once they no longer use it) and shows its
   * label map; settles only after the labelmap's first asynchronous render has finished, so that
   * dispose() or a newer load never releases volumes that Cornerstone is still loading into them.
   */
  async show(next, previous, labelUrl, classNames, kind, legendEntries) {
    next.stats = intensityStats(volumeData(next.image.volume));
    next.range = { min: next.stats.min, max: next.stats.max };
    next.kind = kind === 'auto' ? detectImageKind(next.stats) : kind;
    next.preset = imageKinds[next.kind].initial;
    const initialWindow = presetRange(next.preset, next.stats);
    setInitialWindow(next.image.imageIds, initialWindow);
    try {
      await setVolumesForViewports(this.engine, [{ volumeId: next.image.volume.volumeId }], this.viewportIds);
    } finally {
      await this.whenViewportsIdle();
      this.release(previous);
    }
    // Replaced while the viewports switched, or disposed (dispose releases it once this is over).
    if (this.current !== next || this.disposed) return null;

    this.setVoiRange(initialWindow);

    let labelValues = [];
    let labelsRendered = null;
    if (next.label) {
      const distinct = distinctValues(next.label.volume, maxLabelValues);
      if (distinct.length > maxLabelValues || distinct.some((v) => !Number.isInteger(v) || v < 0)) {
        throw new Error(`${labelUrl}: not a label map (needs at most ${maxLabelValues} non-negative integer values)`);
      }
      labelValues = distinct.sort((a, b) => a - b);
      setInitialWindow(next.label.imageIds, { lower: 0, upper: Math.max(1, labelValues.at(-1)) });
      labelsRendered = this.addSegmentation(next, labelValues, classNames, legendEntries);
    }
    this.tools.showCrosshairs();
    this.engine.render();
    this.sliceIndex.updateAll();
    await labelsRendered;
    await this.whenViewportsIdle();
    if (this.current !== next || this.disposed) return null;
    const { dimensions, spacing } = next.image.volume;
    return {
      legend: next.legend,
      dimensions: Array.from(dimensions),
      spacing: Array.from(spacing),
      range: next.range,
      labelValues,
      kind: next.kind,
      presets: imageKinds[next.kind].presets.map((key) => ({ key, label: presetLabel(key) })),
      preset: next.preset,
    };
  }

  /**
   * Cornerstone adds volumes to our viewports asynchronously, also on its own: the labelmap display
   * mounts the label volume with addVolumesToViewports, possibly more than once, from its render
   * loop. Each such call reloads a slice of the volume (default VOI) and ends in a render of the
   * viewport, so it must finish before that volume is released or the engine destroyed. The
   * viewports' setVolumes/addVolumes promises are recorded here for whenViewportsIdle().
   */
  trackVolumeWork() {
    this.volumeWork = new Set();
    for (const viewportId of this.viewportIds) {
      const viewport = this.engine.getViewport(viewportId);
      for (const name of ['setVolumes', 'addVolumes']) {
        const original = viewport[name];
        if (typeof original !== 'function') continue;
        viewport[name] = (...args) => {
          const work = original.apply(viewport, args);
          this.volumeWork.add(work);
          const done = () => this.volumeWork.delete(work);
          Promise.resolve(work).then(done, done);
          return work;
        };
      }
    }
  }

  /** Resolves once no volume is being added to a viewport (see trackVolumeWork). */
  async whenViewportsIdle() {
    while (this.volumeWork.size > 0) {
      await Promise.allSettled([...this.volumeWork]);
      // A macrotask: the callers' promise chains (render after the mount) run to their end first.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Loads the image (and label map) volumes into state; resolves once every slice is in. */
  async loadInto(state, imageUrl, labelUrl, tag) {
    state.image = await loadNiftiVolume(loadUrl(imageUrl, tag), `${volumeScheme}:${tag}-image`, `image ${imageUrl}`);
    if (labelUrl) {
      state.label = await loadNiftiVolume(loadUrl(labelUrl, tag), `${volumeScheme}:${tag}-label`, `label map ${labelUrl}`);
      const mismatch = geometryMismatch(state.image.volume, state.label.volume);
      if (mismatch) throw new Error(`${labelUrl}: ${mismatch} (${imageUrl})`);
    }
  }

  addSegmentation(state, labelValues, classNames, legendEntries) {
    const { lut, legend } = buildColorLut(classNames, labelValues, legendEntries);
    state.segmentationId = `${state.label.volume.volumeId}-seg`;
    state.colorLutIndex = segmentation.config.color.addColorLUT(lut);
    state.legend = legend;
    const segments = {};
    for (const entry of legend) {
      segments[entry.id] = { segmentIndex: entry.id, label: entry.name };
    }
    segmentation.addSegmentations([{
      segmentationId: state.segmentationId,
      representation: {
        type: ToolEnums.SegmentationRepresentations.Labelmap,
        data: {
          volumeId: state.label.volume.volumeId,
          referencedVolumeId: state.image.volume.volumeId,
        },
      },
      config: { segments, label: 'labels' },
    }]);
    const map = {};
    for (const viewportId of this.viewportIds) {
      map[viewportId] = [{
        segmentationId: state.segmentationId,
        type: ToolEnums.SegmentationRepresentations.Labelmap,
        config: { colorLUTOrIndex: state.colorLutIndex },
      }];
    }
    // The labelmap display adds the label volume to each viewport asynchronously (it reloads a label
    // slice for its VOI, then renders); SEGMENTATION_RENDERED per viewport marks the end of that.
    const rendered = whenSegmentationRendered(state.segmentationId, this.viewportIds);
    segmentation.addLabelmapRepresentationToViewportMap(map);
    this.applyLabelOpacity();
    return rendered;
  }

  /** Label map fill opacity, 0..1. */
  setLabelOpacity(opacity) {
    this.throwIfDisposed();
    const value = Number(opacity);
    if (!(value >= 0 && value <= 1)) throw new Error(`Label opacity must be within 0..1, got ${opacity}`);
    this.labelOpacity = value;
    this.applyLabelOpacity();
    this.engine.render();
  }

  applyLabelOpacity() {
    const segmentationId = this.current?.segmentationId;
    if (!segmentationId) return;
    const alpha = this.labelsShown ? this.labelOpacity : 0;
    for (const viewportId of this.viewportIds) {
      segmentation.config.style.setStyle(
        { viewportId, segmentationId, type: ToolEnums.SegmentationRepresentations.Labelmap },
        { fillAlpha: alpha, fillAlphaInactive: alpha, outlineOpacity: alpha > 0 ? 1 : 0, outlineOpacityInactive: alpha > 0 ? 1 : 0 });
    }
  }

  /** Every preset name -> { label } (CT windows and image-relative ones such as "auto" = full range). */
  getPresets() {
    return Object.fromEntries(allPresetNames().map((name) => [name, { label: presetLabel(name) }]));
  }

  /** The image kinds (name -> { label, presets, initial }). */
  getImageKinds() {
    return imageKinds;
  }

  applyPreset(name) {
    this.throwIfDisposed();
    this.setVoiRange(presetRange(name, this.current?.stats));
    this.engine.render();
  }

  setWindowLevel(width, center) {
    this.throwIfDisposed();
    this.setVoiRange(toVoiRange(Number(width), Number(center)));
    this.engine.render();
  }

  /** Current { width, center } of a plane (default axial; a synchroniser keeps the three equal). */
  getWindowLevel(planeName = 'axial') {
    const { voiRange } = this.viewportFor(planeName).getProperties();
    return { width: voiRange.upper - voiRange.lower, center: (voiRange.upper + voiRange.lower) / 2 };
  }

  setVoiRange({ lower, upper }) {
    if (!this.current) return;
    const voiRange = { lower, upper };
    for (const viewportId of this.viewportIds) {
      this.engine.getViewport(viewportId).setProperties({ voiRange });
    }
  }

  /** Slice index and count of a plane ("axial", "coronal", "sagittal"). */
  getSlice(planeName) {
    const viewport = this.viewportFor(planeName);
    return { index: viewport.getSliceIndex(), count: viewport.getNumberOfSlices() };
  }

  /** '1x3' (three planes side by side) or '1x1' (plane alone, over the full width). */
  setLayout(layout, plane) {
    this.throwIfDisposed();
    this.layout.set(layout, plane ?? this.layout.plane);
  }

  /** { layout, plane } */
  getLayout() {
    return this.layout.state();
  }

  /** Shows one plane alone; restore() returns to the layout before. */
  maximize(plane) {
    this.throwIfDisposed();
    this.layout.maximize(plane);
  }

  restore() {
    this.throwIfDisposed();
    this.layout.restore();
  }

  /** Moves a plane delta slices (positive: up/next). */
  scrollSlice(planeName, delta) {
    const viewport = this.viewportFor(planeName);
    if (!this.current) return;
    utilities.scroll(viewport, { delta });
  }

  /** Shows or hides the label overlay without changing its opacity. */
  setLabelsShown(shown) {
    this.throwIfDisposed();
    this.labelsShown = !!shown;
    this.applyLabelOpacity();
    this.engine.render();
  }

  /** Zoom, pan, crosshairs and slices back to the start, and the image kind's initial window. */
  reset() {
    this.throwIfDisposed();
    if (!this.current) return;
    for (const viewportId of this.viewportIds) this.engine.getViewport(viewportId).resetCamera();
    this.tools.showCrosshairs();
    this.setVoiRange(presetRange(this.current.preset, this.current.stats));
    this.engine.render();
    this.sliceIndex.updateAll();
  }

  /** The voxel under the mouse: { plane, ijk, mm, value, label, labelName } or null. */
  getReadout() {
    return this.cursor.last();
  }

  runShortcut(action, plane) {
    if (this.disposed || !this.current) return;
    const shown = this.layout.visiblePlanes();
    const target = shown.includes(plane) ? plane : shown[0];
    if (action === 'sliceUp') this.scrollSlice(target, 1);
    else if (action === 'sliceDown') this.scrollSlice(target, -1);
    else if (action === 'toggleOverlay') this.setLabelsShown(!this.labelsShown);
    else if (action === 'reset') this.reset();
  }

  viewportFor(planeName) {
    this.throwIfDisposed();
    const index = planes.findIndex((p) => p.name === planeName);
    if (index < 0) throw new Error(`Unknown plane "${planeName}" (known: ${planes.map((p) => p.name).join(', ')})`);
    return this.engine.getViewport(this.viewportIds[index]);
  }

  removeSegmentation(state) {
    if (!state?.segmentationId) return;
    for (const viewportId of this.viewportIds) {
      segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: state.segmentationId });
    }
    segmentation.removeSegmentation(state.segmentationId);
    segmentation.state.removeColorLUT(state.colorLutIndex);
    state.segmentationId = null;
  }

  release(state) {
    if (!state) return;
    this.removeSegmentation(state);
    if (state.label) releaseVolume(state.label.volume.volumeId, state.label.imageIds);
    if (state.image) releaseVolume(state.image.volume.volumeId, state.image.imageIds);
  }

  throwIfDisposed() {
    if (this.disposed) throw new Error('The slice viewer has been disposed');
  }

  /**
   * Destroys tools, segmentation, cached volumes, the rendering engine and the created elements.
   * Returns a promise that settles once everything is released: loads still streaming and a viewport
   * switch in flight are waited for first (they release their own volumes when they see the dispose),
   * so no Cornerstone callback of a released volume reaches the destroyed rendering engine.
   */
  dispose() {
    if (this.disposing) return this.disposing;
    this.disposed = true;
    this.loadGeneration++;
    this.resizeObserver.disconnect();
    this.shortcuts.destroy();
    this.cursor.destroy();
    this.sliceIndex.destroy();
    this.disposing = this.finishDispose();
    return this.disposing;
  }

  async finishDispose() {
    await Promise.allSettled([...this.pendingLoads, this.attaching]);
    this.removeSegmentation(this.current);
    await this.whenViewportsIdle();
    this.tools.destroy();
    this.engine.destroy();
    this.release(this.current);
    this.current = null;
    this.engine = null;
    for (const cell of this.cells) cell.element.remove();
  }
}
