import { ModelError } from './model-errors.js';

/**
 * `container.getService(name)` asked for a service the container's plan does not have.
 *
 * @remedy Add the service with `container.addLayer(...)` first, or check the name against
 * `container.getPlan()`; `container.getServices()` lists what exists.
 */
export class ServiceNotFoundError extends ModelError {
  override readonly code = 'CHARMKIT_NO_SUCH_SERVICE';
}

/**
 * `container.getCheck(name)` asked for a check the container's plan does not have.
 *
 * @remedy Add the check with `container.addLayer(...)` first, or check the name against
 * `container.getPlan()`; `container.getChecks()` lists what exists.
 */
export class CheckNotFoundError extends ModelError {
  override readonly code = 'CHARMKIT_NO_SUCH_CHECK';
}
