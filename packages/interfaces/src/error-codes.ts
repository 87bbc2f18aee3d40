/**
 * Every `code` an error thrown by `@charmkit/interfaces` carries (stable; match on it). Each
 * interface module adds its own codes here.
 */
export type InterfacesErrorCode =
  // shared/ (every interface)
  | 'CHARMKIT_REMOTE_DATABAG_INVALID'
  | 'CHARMKIT_DATABAG_WRITE_INVALID'
  | 'CHARMKIT_NOT_LEADER'
  // grafana-dashboard/
  | 'CHARMKIT_LZMA_CONTENT_INVALID'
  // tls-certificates/
  | 'CHARMKIT_TLS_REQUEST_INVALID'
  | 'CHARMKIT_TLS_PEM_INVALID';
