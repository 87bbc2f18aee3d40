import { z } from 'zod';
import { jsonField } from '../shared/index.js';

/** One request in a requirer's bag. */
export const CsrEntrySchema = z.looseObject({
  certificate_signing_request: z.string().min(1),
  ca: z.boolean().nullable().optional(),
});
export type CsrEntry = z.infer<typeof CsrEntrySchema>;

/**
 * The requirer's databag (its unit's in unit mode, its application's in app mode), as the
 * tls-certificates library v4 writes it: `certificate_signing_requests`, a JSON list.
 */
export const TlsRequirerSchema = z.object({
  certificate_signing_requests: jsonField(z.array(CsrEntrySchema)).optional(),
});
export type TlsRequirerData = z.infer<typeof TlsRequirerSchema>;

/** One issued certificate in the provider's bag (PEM strings). */
export const ProviderCertificateEntrySchema = z.looseObject({
  ca: z.string().min(1),
  certificate_signing_request: z.string().min(1),
  certificate: z.string().min(1),
  chain: z.array(z.string()).nullable().optional(),
  revoked: z.boolean().nullable().optional(),
});
export type ProviderCertificateEntry = z.infer<typeof ProviderCertificateEntrySchema>;

/** The provider's application databag: `certificates`, a JSON list. */
export const TlsProviderAppSchema = z.object({
  certificates: jsonField(z.array(ProviderCertificateEntrySchema)).optional(),
});
export type TlsProviderApp = z.infer<typeof TlsProviderAppSchema>;
