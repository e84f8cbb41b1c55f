// Fetches just the start of a NIfTI file to fail early with a clear message. The Cornerstone
// NIfTI loader swallows HTTP and gzip errors in a detached promise and then never resolves.

const headerBytesNeeded = 4;

async function readPrefix(stream, count) {
  const reader = stream.getReader();
  const bytes = new Uint8Array(count);
  let filled = 0;
  try {
    while (filled < count) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.length, count - filled);
      bytes.set(value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return bytes.subarray(0, filled);
}

/** Throws an Error starting with `what` (e.g. "image /data/ct.nii.gz") unless url serves a (gzipped) NIfTI-1/2 file. */
export async function probeNifti(url, what) {
  const controller = new AbortController();
  let response;
  try {
    response = await fetch(url, { signal: controller.signal });
  } catch (e) {
    throw new Error(`${what}: request failed (${e.message})`);
  }
  try {
    if (!response.ok) {
      throw new Error(`${what}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    const [forMagic, forHeader] = response.body.tee();
    const magic = await readPrefix(forMagic, 2);
    const gzipped = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    const pathIsGz = new URL(url).pathname.endsWith('.gz');
    if (gzipped !== pathIsGz) {
      throw new Error(
        `${what}: content is ${gzipped ? '' : 'not '}gzip-compressed but the URL path ` +
          `${pathIsGz ? 'ends' : 'does not end'} in ".gz" (the NIfTI loader decides by the path)`);
    }
    const body = gzipped ? forHeader.pipeThrough(new DecompressionStream('gzip')) : forHeader;
    let prefix;
    try {
      prefix = await readPrefix(body, headerBytesNeeded);
    } catch (e) {
      throw new Error(`${what}: cannot decompress gzip data (${e.message})`);
    }
    if (prefix.length < headerBytesNeeded) {
      throw new Error(`${what}: file is too short to hold a NIfTI header`);
    }
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const sizeofHdr = [view.getInt32(0, true), view.getInt32(0, false)];
    if (!sizeofHdr.includes(348) && !sizeofHdr.includes(540)) {
      throw new Error(`${what}: not a NIfTI file (sizeof_hdr = ${sizeofHdr[0]}, expected 348 or 540)`);
    }
  } finally {
    controller.abort();
  }
}
