import {
  ToolGroupManager,
  SynchronizerManager,
  synchronizers,
  CrosshairsTool,
  StackScrollTool,
  WindowLevelTool,
  PanTool,
  ZoomTool,
  Enums as ToolEnums,
} from '@cornerstonejs/tools';

const { MouseBindings, KeyboardBindings } = ToolEnums;

/**
 * Bindings: left drag = window/level, Shift + left drag = crosshairs, middle = pan,
 * right = zoom, wheel = slice scrolling. One VOI synchronizer keeps the three planes on the
 * same window. Crosshairs are activated only once volumes are shown (they need a camera).
 */
export function createTools(prefix, renderingEngineId, viewportIds) {
  const toolGroupId = `${prefix}-tools`;
  const toolGroup = ToolGroupManager.createToolGroup(toolGroupId);
  if (!toolGroup) throw new Error(`Tool group ${toolGroupId} already exists`);
  for (const tool of [WindowLevelTool, StackScrollTool, PanTool, ZoomTool]) {
    toolGroup.addTool(tool.toolName);
  }
  toolGroup.addTool(CrosshairsTool.toolName, {
    getReferenceLineColor: (viewportId) => crosshairColor(viewportIds.indexOf(viewportId)),
  });
  toolGroup.setToolActive(WindowLevelTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Primary }],
  });
  toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  for (const viewportId of viewportIds) {
    toolGroup.addViewport(viewportId, renderingEngineId);
  }

  const synchronizerId = `${prefix}-voi`;
  const voiSync = synchronizers.createVOISynchronizer(synchronizerId, {
    syncInvertState: false,
    syncColormap: false,
  });
  for (const viewportId of viewportIds) {
    voiSync.add({ renderingEngineId, viewportId });
  }

  let crosshairsOn = false;
  return {
    /** (Re)centres crosshairs on the newly loaded volume. */
    showCrosshairs() {
      if (!crosshairsOn) {
        toolGroup.setToolActive(CrosshairsTool.toolName, {
          bindings: [{ mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift }],
        });
        crosshairsOn = true;
      } else {
        toolGroup.getToolInstance(CrosshairsTool.toolName)?.resetCrosshairs?.();
      }
    },
    destroy() {
      SynchronizerManager.destroySynchronizer(synchronizerId);
      ToolGroupManager.destroyToolGroup(toolGroupId);
    },
  };
}

function crosshairColor(index) {
  return ['rgb(255, 80, 80)', 'rgb(80, 220, 80)', 'rgb(80, 160, 255)'][index] ?? 'rgb(200, 200, 0)';
}
