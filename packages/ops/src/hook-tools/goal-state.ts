import * as z from 'zod/mini';
import { lazy } from '../internal/lazy.js';
import type { ToolRunner } from './run-tool.js';

/** The goal status of a unit or of a related application/unit. */
export interface GoalStatus {
  /** `active`, `waiting`, `joining`, `joined`, `dying`, … (kept as a string). */
  readonly status: string;
  /**
   * When it got that status, as Juju prints it (`"2025-01-02 15:04:05Z"`, not RFC 3339); absent
   * when unknown.
   */
  readonly since?: string;
}

/** What `goal-state` reports: where the model is heading, not where it is. */
export interface GoalState {
  /** This application's units. */
  readonly units: Readonly<Record<string, GoalStatus>>;
  /** Endpoint → related application or unit → status. */
  readonly relations: Readonly<Record<string, Readonly<Record<string, GoalStatus>>>>;
}

const goalStatus = lazy(() => z.looseObject({ status: z.string(), since: z.optional(z.string()) }));
const goalStatuses = lazy(() =>
  z.pipe(
    z.optional(z.nullable(z.record(z.string(), goalStatus()))),
    z.transform((value) => value ?? {}),
  ),
);
const goalStateOutput = lazy(() =>
  z.looseObject({
    units: goalStatuses(),
    relations: z.pipe(
      z.optional(z.nullable(z.record(z.string(), goalStatuses()))),
      z.transform((value) => value ?? {}),
    ),
  }),
);

function toGoalStatus(value: z.infer<ReturnType<typeof goalStatus>>): GoalStatus {
  return value.since === undefined || value.since === ''
    ? { status: value.status }
    : { status: value.status, since: value.since };
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[key] = f(value);
  return out;
}

/** The goal state of this application and its relations: `goal-state --format=json`. */
export function goalState(runner: ToolRunner): GoalState {
  const result = runner.runJson('goal-state', [], goalStateOutput);
  return {
    units: mapValues(result.units, toGoalStatus),
    relations: mapValues(result.relations, (units) => mapValues(units, toGoalStatus)),
  };
}
