import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import { type RelationRef, relationArgs } from './relation-ref.js';
import type { ToolRunner } from './run-tool.js';
import { stringList } from './schemas.js';
import { ENDPOINT_NAME, requireMatch } from './validate.js';

/** An address on an interface. */
export interface InterfaceAddress {
  /** The address (Juju's `value`; older agents call it `address`). */
  readonly value: string;
  /** The subnet in CIDR form ('' when unknown). */
  readonly cidr: string;
  /** The hostname ('' when none). */
  readonly hostname: string;
}

/** A network interface in the binding's space. */
export interface BindAddress {
  readonly interfaceName: string;
  readonly macAddress: string;
  readonly addresses: readonly InterfaceAddress[];
}

/** What `network-get` reports for a binding. */
export interface NetworkInfo {
  /** Interfaces and their addresses; the first address is the one to listen on. */
  readonly bindAddresses: readonly BindAddress[];
  /** Subnets (CIDR) traffic from this unit comes from. */
  readonly egressSubnets: readonly string[];
  /** Addresses other units should use to reach this one; the first is preferred. */
  readonly ingressAddresses: readonly string[];
}

/** Options of {@link networkGet}. */
export interface NetworkGetOptions {
  /** Answer for this relation (its egress/ingress may differ, e.g. cross-model). */
  readonly relationId?: RelationRef;
}

const address = lazy(() =>
  z.looseObject({
    value: z.optional(z.string()),
    address: z.optional(z.string()),
    cidr: z.optional(z.string()),
    hostname: z.optional(z.string()),
  }),
);

const networkOutput = lazy(() =>
  z.looseObject({
    // All three are `omitempty` in Juju's output.
    'bind-addresses': z.optional(
      z.nullable(
        z.array(
          z.looseObject({
            'mac-address': z.optional(z.string()),
            'interface-name': z.optional(z.string()),
            addresses: z.optional(z.nullable(z.array(address()))),
          }),
        ),
      ),
    ),
    'egress-subnets': z.optional(stringList()),
    'ingress-addresses': z.optional(stringList()),
  }),
);

/**
 * The network configuration of a binding (an endpoint or extra-binding name):
 * `network-get --format=json [-r <id>] -- <binding>`.
 */
export function networkGet(
  runner: ToolRunner,
  binding: string,
  options: NetworkGetOptions = {},
): NetworkInfo {
  const name = requireMatch('network-get', 'binding', binding, ENDPOINT_NAME, 'an endpoint or binding name');
  const args = [...relationArgs('network-get', options.relationId), '--', name];
  const result = runner.runJson('network-get', args, networkOutput);
  return {
    bindAddresses: (result['bind-addresses'] ?? []).map((info) => ({
      interfaceName: info['interface-name'] ?? '',
      macAddress: info['mac-address'] ?? '',
      addresses: (info.addresses ?? []).map((a) => ({
        value: a.value ?? a.address ?? '',
        cidr: a.cidr ?? '',
        hostname: a.hostname ?? '',
      })),
    })),
    egressSubnets: result['egress-subnets'] ?? [],
    ingressAddresses: result['ingress-addresses'] ?? [],
  };
}
