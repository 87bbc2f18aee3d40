import { CharmkitError } from '@charmkit/ops';
import type { InterfacesErrorCode } from '../error-codes.js';

/**
 * A certificate request this charm asked for is not one a CA can sign: no common name and no
 * subject alternative name, a common name over 64 characters, an IP SAN that is not an IP
 * address, or a renewal time outside (0.5, 1].
 *
 * @remedy Fix the `CertificateRequest` (or option) passed to `TlsCertificatesRequirer`; the
 * message names the field.
 */
export class TlsRequestError extends CharmkitError {
  readonly code = 'CHARMKIT_TLS_REQUEST_INVALID' satisfies InterfacesErrorCode;
}

/**
 * A PEM text (certificate, CSR or private key) could not be parsed.
 *
 * @remedy Pass the PEM exactly as issued (`-----BEGIN …-----` lines included). When it came from a
 * related charm, that charm sent a corrupt value: the interface objects skip such entries and log
 * them; this error reaches a charm only through the PEM helpers.
 */
export class PemError extends CharmkitError {
  readonly code = 'CHARMKIT_TLS_PEM_INVALID' satisfies InterfacesErrorCode;
}
