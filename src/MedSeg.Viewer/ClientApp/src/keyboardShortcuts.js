// Keyboard shortcuts of the viewer; the component's help tooltip lists the same table.

/** [keys, what they do, action name] — exported for the help text of the JS API. */
export const shortcuts = Object.freeze([
  [['ArrowUp', 'PageUp'], 'next slice', 'sliceUp'],
  [['ArrowDown', 'PageDown'], 'previous slice', 'sliceDown'],
  [['o'], 'show / hide the label overlay', 'toggleOverlay'],
  [['r'], 'reset zoom, pan, slices and window/level', 'reset'],
]);

/**
 * Listens on the host (focusable; it takes the focus, without scrolling the page, when the mouse
 * presses a view, or enters one while no other element has the focus) and calls run(action, plane) with the plane the mouse is in or was in last.
 */
export function bindShortcuts(host, cells, run) {
  let plane = cells[0].plane.name;
  host.tabIndex = 0;
  host.style.outline = 'none';
  // Passing the mouse over the views must not steal the focus from a field being typed in;
  // a press in a view always takes it.
  const idle = () => !document.activeElement || document.activeElement === document.body || host.contains(document.activeElement);
  const enters = cells.map((cell) => {
    const enter = (evt) => {
      plane = cell.plane.name;
      if ((evt.type === 'mousedown' || idle()) && document.activeElement !== host) host.focus({ preventScroll: true });
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
