import { CharmkitError } from '@charmkit/ops';
import type { InterfacesErrorCode } from '../error-codes.js';

/**
 * A dashboard's `content` is not LZMA-compressed base64 (the `LZMABase64` encoding of the COS
 * libraries), or does not decompress to UTF-8 text.
 *
 * @remedy The sending charm wrote a corrupt dashboard: check its `grafana_dashboard` library
 * version. `GrafanaDashboardConsumer` reports it back to the sender (the `event` key) and leaves
 * that relation's dashboards out; `lzmaBase64Decompress()` throws it.
 */
export class LzmaContentError extends CharmkitError {
  readonly code = 'CHARMKIT_LZMA_CONTENT_INVALID' satisfies InterfacesErrorCode;
}
