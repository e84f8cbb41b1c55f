import { init as coreInit, imageLoader, isCornerstoneInitialized } from '@cornerstonejs/core';
import {
  init as toolsInit,
  addTool,
  CrosshairsTool,
  StackScrollTool,
  WindowLevelTool,
  PanTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { cornerstoneNiftiImageLoader } from '@cornerstonejs/nifti-volume-loader';

let initialized = false;

/**
 * One-time, page-wide Cornerstone setup. Cornerstone3D v5 does not use SharedArrayBuffer, so no
 * cross-origin isolation (COOP/COEP) is needed. Volume viewports all share one WebGL context of
 * the rendering engine's pool, so the pool is kept at one context instead of the default seven
 * (browsers cap a page at about 16).
 */
export function ensureCornerstone() {
  if (initialized) return;
  if (!isCornerstoneInitialized()) {
    coreInit({ rendering: { webGlContextCount: 1 } });
  }
  toolsInit();
  imageLoader.registerImageLoader('nifti', cornerstoneNiftiImageLoader);
  for (const tool of [CrosshairsTool, StackScrollTool, WindowLevelTool, PanTool, ZoomTool]) {
    addTool(tool);
  }
  initialized = true;
}

/** True when the browser can create a WebGL2 context (volume viewports have no CPU fallback). */
export function hasWebGl2() {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return false;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return true;
}
