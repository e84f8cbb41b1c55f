// Public API of the MedSeg slice viewer bundle (an ES module; nothing is put on window).
import { cache } from '@cornerstonejs/core';
import { SliceViewer } from './viewer.js';
import { buildColorLut } from './classColors.js';

export { windowLevelPresets, imageKinds } from './windowLevelPresets.js';
export { shortcuts } from './keyboardShortcuts.js';

/**
 * Creates a viewer inside element. options: { labelOpacity?: 0..1, layout?: '1x3' | '1x1',
 * plane?: 'axial' | 'coronal' | 'sagittal', onLayoutChanged?: ({ layout, plane }) => void,
 * dotnet?: a DotNetObjectReference whose OnViewerLayoutChanged(layout, plane) is called instead }.
 */
export function createViewer(element, options) {
  const { dotnet, ...rest } = options ?? {};
  if (dotnet) {
    // The circuit may be gone when a late layout change arrives: that is no error of the page.
    rest.onLayoutChanged = ({ layout, plane }) => dotnet.invokeMethodAsync('OnViewerLayoutChanged', layout, plane).catch(() => {});
  }
  return new SliceViewer(element, rest);
}

/** The legend a load would show for these names / entries before any label value is known (all marked present). */
export function describeLegend(classNames, entries) {
  return buildColorLut(classNames, [], entries ?? []).legend.map((e) => ({ ...e, present: true }));
}

/** Diagnostics for tests and debugging: what Cornerstone's cache still holds. */
export function getCacheInfo() {
  return { volumes: cache.getVolumes().length, bytes: cache.getCacheSize() };
}
