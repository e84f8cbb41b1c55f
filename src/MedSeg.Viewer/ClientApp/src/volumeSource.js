import { cache, volumeLoader } from '@cornerstonejs/core';
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
