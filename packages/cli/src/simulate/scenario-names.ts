// The names alone, apart from the scenarios: main.ts needs them for `--scenario`'s choices, and
// importing scenarios.ts would load @charmkit/ops on every start, even for `charmkit --version`.

/** The scenarios `charmkit simulate` runs. */
export const SCENARIOS = [
  'deploy',
  'config-change',
  'leader-failover',
  'scale-down',
  'rolling-restart',
] as const;

/** One of {@link SCENARIOS}. */
export type ScenarioName = (typeof SCENARIOS)[number];
