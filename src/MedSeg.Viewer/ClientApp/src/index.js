// Public API of the MedSeg slice viewer bundle (an ES module; nothing is put on window).
import { cache } from '@cornerstonejs/core';
import { SliceViewer } from './viewer.js';

export { windowLevelPresets } from './windowLevelPresets.js';

/** Creates a viewer inside element. options: { labelOpacity?: 0..1 }. */
export function createViewer(element, options) {
  return new SliceViewer(element, options ?? {});
}

/** Diagnostics for tests and debugging: what Cornerstone's cache still holds. */
export function getCacheInfo() {
  return { volumes: cache.getVolumes().length, bytes: cache.getCacheSize() };
}
