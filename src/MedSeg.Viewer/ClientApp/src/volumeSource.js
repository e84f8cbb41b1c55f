import { cache, utilities, volumeLoader } from '@cornerstonejs/core';
import { createNiftiImageIdsAndCacheMetadata } from '@cornerstonejs/nifti-volume-loader';
import { probeNifti } from './niftiProbe.js';

const loadTimeoutMs = 120_000;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${loadTimeoutMs / 1000} s`)), loadTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The URL one load fetches: absolute (the NIfTI loader needs that) and tagged with the load, because
 * the loader names slice images after the URL. Reusing the URL would share cached slices between
 * the old and the new volume (releasing the old one would empty the new one) and show stale data
 * if the file changed on the server.
 */
export function loadUrl(url, tag) {
  const absolute = new URL(url, document.baseURI);
  absolute.searchParams.set('medsegLoad', tag);
  return absolute.href;
}

/**
 * Loads a NIfTI file as a cached Cornerstone volume (one image per axial slice, streamed into
 * the volume) and waits until every slice is in. Errors start with `what` ("image <url as given>").
 * Returns { volume, imageIds }.
 */
export async function loadNiftiVolume(url, volumeId, what) {
  await probeNifti(url, what);
  const imageIds = await withTimeout(createNiftiImageIdsAndCacheMetadata({ url }), `${what} header`);
  if (!imageIds?.length) {
    throw new Error(`${what}: the NIfTI header could not be read`);
  }
  fixSliceGeometry(imageIds);
  const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds });
  await withTimeout(
    new Promise((resolve, reject) => {
      volume.load((evt) => {
        if (evt?.success === false) {
          reject(new Error(`${what}: slice ${evt.imageIdIndex} failed to load (${evt.error?.message ?? evt.error})`));
        } else {
          resolve();
        }
      });
    }),
    `${what}`);
  return { volume, imageIds };
}

/**
 * Corrects two slip-ups of the NIfTI loader (5.0.13) in the per-slice metadata, in place, before the
 * volume is built from it, so that voxel (i, j, k) lies where the file's affine puts it:
 * - it stores pixelSpacing as [x, y], but Cornerstone reads it the DICOM way, [row spacing (y),
 *   column spacing (x)]: anisotropic in-plane voxels came out stretched;
 * - it steps slice k's position by direction_k * (sx, sy, sz) component-wise instead of
 *   direction_k * sz: oblique slices came out too close together.
 */
function fixSliceGeometry(imageIds) {
  const planes = imageIds.map((id) => utilities.genericMetadataProvider.get('imagePlaneModule', id));
  if (!planes.every((p) => p?.pixelSpacing && p.imagePositionPatient) || planes[0].medsegFixed) return;
  const [sx, sy] = planes[0].pixelSpacing;
  const sz = planes[0].sliceThickness;
  const first = planes[0].imagePositionPatient;
  // Slice 1's (buggy) offset divided by (sx, sy, sz) is the slice direction, which the loader has right.
  const step = planes.length > 1
    ? [sx, sy, sz].map((s, axis) => ((planes[1].imagePositionPatient[axis] - first[axis]) / s) * sz)
    : [0, 0, 0];
  planes.forEach((plane, k) => {
    plane.pixelSpacing = [sy, sx];
    plane.imagePositionPatient = first.map((v, axis) => v + k * step[axis]);
    plane.medsegFixed = true;
  });
}

/**
 * Sets the window a viewport applies when the volume is first shown. Without it, Cornerstone takes
 * the middle slice's min..max, which is empty for a constant slice (vtk then logs "attempt to set
 * zero width color range") and NaN for a float slice holding NaN voxels.
 */
export function setInitialWindow(imageIds, { lower, upper }) {
  const imageId = imageIds[Math.floor(imageIds.length / 2)];
  utilities.genericMetadataProvider.add(imageId, {
    type: 'voiLutModule',
    metadata: { windowWidth: [upper - lower], windowCenter: [(upper + lower) / 2] },
  });
}

/** Removes a volume and its slice images (and so the NIfTI loader's copy of the file) from the cache. */
export function releaseVolume(volumeId, imageIds) {
  const volume = cache.getVolume(volumeId);
  if (volume) {
    // Stops queued slice requests (a no-op once loaded) so none starts after the slices are decached.
    volume.cancelLoading?.();
    cache.removeVolumeLoadObject(volumeId);
  }
  for (const imageId of imageIds ?? []) {
    if (cache.getImageLoadObject(imageId)) {
      cache.removeImageLoadObject(imageId, { force: true });
    }
  }
}

/** Distinct voxel values of a loaded volume, at most maxDistinct + 1 of them (one past the limit tells "too many" apart). */
export function distinctValues(volume, maxDistinct) {
  const data = volumeData(volume);
  const distinct = new Set();
  for (let i = 0; i < data.length && distinct.size <= maxDistinct; i++) distinct.add(data[i]);
  return [...distinct];
}

/** The voxels of a loaded volume (throws when it holds none). */
export function volumeData(volume) {
  const data = volume.voxelManager.getCompleteScalarDataArray();
  if (!data?.length) throw new Error(`volume ${volume.volumeId} holds no voxel data`);
  return data;
}
