/**
 * The `tls-certificates` relation interface (v1), both sides, wire-compatible with the
 * tls-certificates-interface library v4: `TlsCertificatesRequirer` for a charm that needs
 * certificates, `TlsCertificatesProvider` for a CA, and the X.509 helpers (`generateCa`,
 * `signCsr`, …) for a self-signed CA and for tests.
 *
 * @module @charmkit/interfaces/tls-certificates
 */

export {
  type DatabagIssue,
  DatabagWriteError,
  InterfaceNotLeaderError,
  RemoteDatabagError,
} from '../shared/index.js';
export { PemError, TlsRequestError } from './errors.js';
export {
  type CsrEntry,
  CsrEntrySchema,
  type ProviderCertificateEntry,
  ProviderCertificateEntrySchema,
  type TlsProviderApp,
  TlsProviderAppSchema,
  type TlsRequirerData,
  TlsRequirerSchema,
} from './schemas.js';
export {
  CertificateAvailableEvent,
  CertificateRequestsChangedEvent,
  TlsCertificatesProviderEvents,
  TlsCertificatesRequirerEvents,
} from './tls-certificates-events.js';
export {
  type CertificateToPublish,
  type RequirerCertificateRequest,
  TlsCertificatesProvider,
  type TlsCertificatesProviderOptions,
} from './tls-certificates-provider.js';
export {
  type ProviderCertificate,
  TLS_LIBRARY_ID,
  TlsCertificatesRequirer,
  type TlsCertificatesRequirerOptions,
} from './tls-certificates-requirer.js';
export {
  type CaOptions,
  type CertificateInfo,
  type CertificateRequest,
  type CsrInfo,
  certificateMatchesKey,
  checkCertificateRequest,
  csrMatchesKey,
  generateCa,
  generateCsr,
  generatePrivateKey,
  normalizePem,
  readCertificate,
  readCsr,
  type SignOptions,
  samePem,
  signCsr,
} from './x509.js';
