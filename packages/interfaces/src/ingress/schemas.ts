import { z } from 'zod';
import { jsonField } from '../shared/index.js';

// ingress v2 as traefik-k8s' `ingress` library (v2) writes it: every field JSON-encoded in its
// string (`name: '"my-app"'`, `port: '8080'`), fields at their default value left out.

/** The URL schemes the provider accepts. */
export const INGRESS_SCHEMES = ['http', 'https', 'h2c'] as const;
/** A scheme of {@link INGRESS_SCHEMES}. */
export type IngressScheme = (typeof INGRESS_SCHEMES)[number];

const HealthCheckSchema = z.object({
  path: z.string(),
  scheme: z.string().nullable().optional(),
  hostname: z.string().nullable().optional(),
  port: z.number().int().nullable().optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
});

/** The requirer's application databag: the application to route to. */
export const IngressRequirerAppSchema = z.object({
  model: jsonField(z.string().min(1)),
  name: jsonField(z.string().min(1)),
  /** 1–65534, as the Python library checks. */
  port: jsonField(z.number().int().gt(0).lt(65535)),
  /** Default `http` (then absent). */
  scheme: jsonField(z.enum(INGRESS_SCHEMES)).optional(),
  'strip-prefix': jsonField(z.boolean()).optional(),
  'redirect-https': jsonField(z.boolean()).optional(),
  is_port_open: jsonField(z.boolean()).optional(),
  healthcheck_params: jsonField(HealthCheckSchema.nullable()).optional(),
});
/** A parsed requirer application databag. */
export type IngressRequirerApp = z.output<typeof IngressRequirerAppSchema>;

/** Each requirer unit's databag: where the unit is reached. */
export const IngressRequirerUnitSchema = z.object({
  host: jsonField(z.string().min(1)),
  ip: jsonField(z.union([z.ipv4(), z.ipv6()]).nullable()).optional(),
});
/** A parsed requirer unit databag. */
export type IngressRequirerUnit = z.output<typeof IngressRequirerUnitSchema>;

/** The provider's application databag: the URL, absent until published. */
export const IngressProviderAppSchema = z.object({
  ingress: jsonField(z.object({ url: z.url({ protocol: /^https?$/ }) })).optional(),
});
/** A parsed provider application databag. */
export type IngressProviderApp = z.output<typeof IngressProviderAppSchema>;

/** Keys Juju itself writes into unit databags. */
export const JUJU_UNIT_KEYS: ReadonlySet<string> = new Set([
  'ingress-address',
  'private-address',
  'egress-subnets',
]);
