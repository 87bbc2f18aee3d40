import type { Logger } from '../logger.js';

/** Why the framework wants to stop under a debugger. */
export interface DebugStopRequest {
  /** `hook`: before an observer of a Juju event or action; `breakpoint`: `framework.breakpoint()`. */
  readonly reason: 'hook' | 'breakpoint';
  /** The breakpoint's name, when it has one. */
  readonly name: string | null;
  /** Where the stop is, for the banner: `MyCharm.onStart(MyCharm/on/start[1])`. */
  readonly where: string;
}

/**
 * Attaches a debugger before the framework stops: resolves true once one is attached (the
 * framework then runs a `debugger;` statement), false when it cannot and the hook should just go on.
 */
export type DebugStopper = (request: DebugStopRequest, log: Logger) => boolean | Promise<boolean>;
