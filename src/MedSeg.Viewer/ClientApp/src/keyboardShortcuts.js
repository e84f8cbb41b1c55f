// Keyboard shortcuts of the viewer; the component's help tooltip lists the same table.

/** [keys, what they do, action name] — exported for the help text of the JS API. */
export const shortcuts = Object.freeze([
  [['ArrowUp', 'PageUp'], 'next slice', 'sliceUp'],
  [['ArrowDown', 'PageDown'], 'previous slice', 'sliceDown'],
  [['o'], 'show / hide the label overlay', 'toggleOverlay'],
  [['r'], 'reset zoom, pan, slices and window/level', 'reset'],
]);

/**
 * Listens on the host (focusable; it takes the focus when the mouse enters or presses it, without
 * scrolling the page) and calls run(action, plane) with the plane the mouse is in or was in last.
 */
export function bindShortcuts(host, cells, run) {
  let plane = cells[0].plane.name;
  host.tabIndex = 0;
  host.style.outline = 'none';
  const focus = () => {
    if (document.activeElement !== host) host.focus({ preventScroll: true });
  };
  const enters = cells.map((cell) => {
    const enter = () => {
      plane = cell.plane.name;
      focus();
    };
    cell.element.addEventListener('mouseenter', enter);
    cell.element.addEventListener('mousedown', enter);
    return [cell, enter];
  });
  const onKey = (evt) => {
    if (evt.ctrlKey || evt.altKey || evt.metaKey) return;
    const key = evt.key.length === 1 ? evt.key.toLowerCase() : evt.key;
    const shortcut = shortcuts.find(([keys]) => keys.includes(key));
    if (!shortcut) return;
    evt.preventDefault();
    run(shortcut[2], plane);
  };
  host.addEventListener('keydown', onKey);
  return {
    destroy() {
      host.removeEventListener('keydown', onKey);
      for (const [cell, enter] of enters) {
        cell.element.removeEventListener('mouseenter', enter);
        cell.element.removeEventListener('mousedown', enter);
      }
    },
  };
}
