import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import type { ToolRunner } from './run-tool.js';

/** A cloud credential, part of {@link CloudSpec}. */
export interface CloudCredential {
  /** e.g. `userpass`, `access-key`, `certificate`. */
  readonly authType: string;
  /** The credential's attributes (secrets included). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Attribute names whose values Juju withheld. */
  readonly redacted: readonly string[];
}

/** The cloud the model runs on, as `credential-get` reports it. */
export interface CloudSpec {
  /** The cloud type: `ec2`, `openstack`, `lxd`, `kubernetes`, … */
  readonly type: string;
  /** The cloud's name. */
  readonly name: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly identityEndpoint?: string;
  readonly storageEndpoint?: string;
  readonly credential?: CloudCredential;
  /** CA certificates (PEM) for the cloud's endpoints ([] when none). */
  readonly caCertificates: readonly string[];
  readonly skipTlsVerify: boolean;
  readonly isControllerCloud: boolean;
}

const optionalString = lazy(() => z.optional(z.string()));
const cloudSpecOutput = lazy(() =>
  z.looseObject({
    type: z.string(),
    name: z.string(),
    region: optionalString(),
    endpoint: optionalString(),
    'identity-endpoint': optionalString(),
    'storage-endpoint': optionalString(),
    credential: z.optional(
      z.nullable(
        z.looseObject({
          'auth-type': z.string(),
          attrs: z.optional(z.nullable(z.record(z.string(), z.string()))),
          redacted: z.optional(z.nullable(z.array(z.string()))),
        }),
      ),
    ),
    cacertificates: z.optional(z.nullable(z.array(z.string()))),
    'skip-tls-verify': z.optional(z.boolean()),
    'is-controller-cloud': z.optional(z.boolean()),
  }),
);

/**
 * The cloud spec with its credential: `credential-get --format=json`. Only for applications
 * deployed with `--trust`; otherwise Juju refuses (a `HookToolError`).
 */
export function credentialGet(runner: ToolRunner): CloudSpec {
  const spec = runner.runJson('credential-get', [], cloudSpecOutput, { secretOutput: true });
  // Juju omits empty strings; so do we, rather than carrying '' around.
  const optional = <K extends 'region' | 'endpoint' | 'identityEndpoint' | 'storageEndpoint'>(
    key: K,
    value: string | undefined,
  ): { [P in K]?: string } =>
    value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]: string });
  return {
    type: spec.type,
    name: spec.name,
    ...optional('region', spec.region),
    ...optional('endpoint', spec.endpoint),
    ...optional('identityEndpoint', spec['identity-endpoint']),
    ...optional('storageEndpoint', spec['storage-endpoint']),
    ...(spec.credential == null
      ? {}
      : {
          credential: {
            authType: spec.credential['auth-type'],
            attributes: spec.credential.attrs ?? {},
            redacted: spec.credential.redacted ?? [],
          },
        }),
    caCertificates: spec.cacertificates ?? [],
    skipTlsVerify: spec['skip-tls-verify'] ?? false,
    isControllerCloud: spec['is-controller-cloud'] ?? false,
  };
}
