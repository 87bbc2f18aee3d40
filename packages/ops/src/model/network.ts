import { RelationNotFoundError } from '../hook-tools/errors.js';
import type { ModelBackend, NetworkInfo } from './model-backend.js';

/** One address on one network interface of the binding's space. */
export interface NetworkInterface {
  /** The interface name, e.g. `eth0`. */
  readonly name: string;
  /** Its MAC address ('' when unknown). */
  readonly macAddress: string;
  /** The address. */
  readonly address: string;
  /** The subnet in CIDR form ('' when unknown). */
  readonly cidr: string;
  /** The hostname ('' when none). */
  readonly hostname: string;
}

/**
 * What `network-get` says about a binding. Addresses stay strings: Juju may report hostnames, and
 * Node has no address type worth converting to.
 */
export class Network {
  /** One entry per address of every interface, in Juju's order. */
  readonly interfaces: readonly NetworkInterface[];
  /** Addresses other units should use to reach this one; the first is preferred. */
  readonly ingressAddresses: readonly string[];
  /** The subnets (CIDR) this unit's traffic comes from. */
  readonly egressSubnets: readonly string[];

  constructor(info: NetworkInfo) {
    this.interfaces = info.bindAddresses.flatMap((bind) =>
      bind.addresses.map((a) => ({
        name: bind.interfaceName,
        macAddress: bind.macAddress,
        address: a.value,
        cidr: a.cidr,
        hostname: a.hostname,
      })),
    );
    this.ingressAddresses = [...info.ingressAddresses];
    this.egressSubnets = [...info.egressSubnets];
  }

  /** The address to listen on: the first interface's, or null when Juju gave none. */
  get bindAddress(): string | null {
    return this.interfaces[0]?.address ?? null;
  }

  /** The preferred address for others to reach this unit, or null. */
  get ingressAddress(): string | null {
    return this.ingressAddresses[0] ?? null;
  }
}

/**
 * A binding: an endpoint (or extra-binding) name, optionally for one relation, whose network is
 * read lazily with one `network-get` and cached for the hook.
 */
export class Binding {
  #network: Network | null = null;

  constructor(
    private readonly backend: ModelBackend,
    /** The endpoint or extra-binding name. */
    readonly name: string,
    /** The relation asked about, or null for the endpoint in general. */
    readonly relationId: number | null,
  ) {}

  /**
   * The binding's network. For a relation Juju no longer knows (e.g. in relation-broken), it falls
   * back to the endpoint's binding, as the addresses are the same.
   */
  get network(): Network {
    if (this.#network === null) {
      let info: NetworkInfo;
      try {
        info = this.backend.networkGet(this.name, this.relationId);
      } catch (error) {
        if (this.relationId === null || !(error instanceof RelationNotFoundError)) throw error;
        info = this.backend.networkGet(this.name, null);
      }
      this.#network = new Network(info);
    }
    return this.#network;
  }

  toString(): string {
    return this.relationId === null ? this.name : `${this.name}:${this.relationId}`;
  }
}
