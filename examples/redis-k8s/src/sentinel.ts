import { RespError, type RespValue, respCommands } from './resp-client.js';

/** What the leader-elected flow asks of Sentinel. */
export interface SentinelApi {
  /** The master Sentinel monitors now (`SENTINEL get-master-addr-by-name`). */
  masterAddress(): Promise<{ readonly host: string; readonly port: number }>;
  /** True while Sentinel is failing the master over (its flags say `failover_in_progress`). */
  failoverInProgress(): Promise<boolean>;
  /** `SENTINEL SET <master> quorum <n>` on this sentinel. */
  setQuorum(quorum: number): Promise<void>;
  /** `SENTINEL RESET <master>`: forget stale replicas and sentinels. */
  reset(): Promise<void>;
}

/** Sentinel could not be asked (down, wrong password, odd reply): the check cannot conclude. */
export class SentinelCheckError extends Error {
  override readonly name = 'SentinelCheckError';
}

function check(reply: RespValue | undefined, what: string): RespValue {
  if (reply instanceof RespError) throw new SentinelCheckError(`${what}: ${reply.message}`);
  if (reply === undefined) throw new SentinelCheckError(`${what}: no reply`);
  return reply;
}

/** A {@link SentinelApi} over TCP to one sentinel, authenticating with the sentinel password. */
export class RespSentinel implements SentinelApi {
  constructor(
    readonly host: string,
    readonly port: number,
    private readonly password: string,
    private readonly master: string,
    private readonly timeoutMs = 3000,
  ) {}

  async #run(command: readonly (string | number)[], what: string): Promise<RespValue> {
    let replies: RespValue[];
    try {
      replies = await respCommands(this.host, this.port, [['AUTH', this.password], command], this.timeoutMs);
    } catch (cause) {
      throw new SentinelCheckError(
        `${what}: sentinel at ${this.host}:${this.port}: ${(cause as Error).message}`,
      );
    }
    check(replies[0], `${what} (AUTH)`);
    return check(replies[1], what);
  }

  async masterAddress(): Promise<{ host: string; port: number }> {
    const reply = await this.#run(['SENTINEL', 'get-master-addr-by-name', this.master], 'master address');
    if (!Array.isArray(reply) || typeof reply[0] !== 'string') {
      throw new SentinelCheckError(`master address: sentinel does not monitor ${this.master}`);
    }
    return { host: reply[0], port: Number(reply[1]) };
  }

  async failoverInProgress(): Promise<boolean> {
    const reply = await this.#run(['SENTINEL', 'MASTER', this.master], 'master info');
    if (!Array.isArray(reply)) throw new SentinelCheckError('master info: unexpected reply');
    const flags = reply[reply.indexOf('flags') + 1];
    return typeof flags === 'string' && flags.split(',').includes('failover_in_progress');
  }

  async setQuorum(quorum: number): Promise<void> {
    await this.#run(['SENTINEL', 'SET', this.master, 'quorum', quorum], 'set quorum');
  }

  async reset(): Promise<void> {
    await this.#run(['SENTINEL', 'RESET', this.master], 'reset');
  }
}
