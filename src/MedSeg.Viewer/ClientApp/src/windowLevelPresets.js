// CT window/level presets (width, center) in Hounsfield units; "auto" uses the volume's range.
export const windowLevelPresets = Object.freeze({
  softTissue: { label: 'Soft tissue', width: 400, center: 40 },
  lung: { label: 'Lung', width: 1500, center: -600 },
  liver: { label: 'Liver', width: 150, center: 90 },
  bone: { label: 'Bone', width: 2500, center: 480 },
  brain: { label: 'Brain', width: 80, center: 40 },
});

/** Converts a width/center pair to the VOI range Cornerstone viewports take. */
export function toVoiRange(width, center) {
  if (!(width > 0)) {
    throw new Error(`Window width must be positive, got ${width}`);
  }
  return { lower: center - width / 2, upper: center + width / 2 };
}
