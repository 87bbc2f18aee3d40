import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConfigValue } from '@charmkit/ops';
import { parse } from 'yaml';
import { z } from 'zod';
import { ModelDescriptionError } from '../errors.js';

/** One application of a model description. */
export interface ModelApplicationDescription {
  /** The charm directory, absolute (written relative to the description file). */
  readonly charmDir: string;
  /** As written, for messages and the summary. */
  readonly charm: string;
  readonly units: number;
  readonly config: Readonly<Record<string, ConfigValue>>;
  /**
   * Stand-ins for the commands the charm runs with `exec`, by container (no workload image runs
   * in a simulation): the first whose `command` is a prefix of the command line answers.
   */
  readonly exec: Readonly<Record<string, readonly ModelExecStandIn[]>>;
}

/** One `exec` stand-in: what the command prints and how it exits. */
export interface ModelExecStandIn {
  readonly command: readonly string[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * A model for `charmkit simulate --model`:
 *
 * ```yaml
 * juju: "4"
 * applications:
 *   webapp: { charm: ./examples/k8s-webapp, units: 2, config: { port: 8080 } }
 *   db:
 *     charm: ./examples/k8s-db
 *     containers:
 *       db: { exec: [{ command: [k8s-db-admin, create-database] }] }
 * relations:
 *   - [webapp:database, db:database]
 * ```
 */
export interface ModelDescription {
  /** The description file, absolute. */
  readonly file: string;
  /** `juju` as written (`3.6`, `4`), or null. */
  readonly juju: string | null;
  readonly seed: number | null;
  readonly applications: Readonly<Record<string, ModelApplicationDescription>>;
  readonly relations: readonly (readonly [string, string])[];
}

const APP_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const END = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?::[a-z][a-z0-9_-]*)?$/;

const schema = z.strictObject({
  // YAML reads `juju: 4` as a number and `juju: 3.6` as a float: both mean the version text.
  juju: z.union([z.string(), z.number()]).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  applications: z
    .record(
      z.string().regex(APP_NAME, 'an application name: lowercase letters, digits and single hyphens'),
      z.strictObject({
        charm: z.string().min(1, 'the charm directory'),
        units: z.number().int().min(1).max(50).default(1),
        config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
        containers: z
          .record(
            z.string(),
            z.strictObject({
              exec: z
                .array(
                  z.strictObject({
                    command: z.array(z.string()).min(1, 'the command line (or its first words)'),
                    stdout: z.string().default(''),
                    stderr: z.string().default(''),
                    exitCode: z.number().int().min(0).max(255).default(0),
                  }),
                )
                .default([]),
            }),
          )
          .default({}),
      }),
    )
    .refine((apps) => Object.keys(apps).length > 0, 'at least one application'),
  relations: z
    .array(
      z.tuple([
        z.string().regex(END, 'app:endpoint (or app)'),
        z.string().regex(END, 'app:endpoint (or app)'),
      ]),
    )
    .default([]),
});

/**
 * Reads and checks a model description; charm paths are resolved against the file's directory.
 *
 * @throws {ModelDescriptionError} no such file, not YAML, a field of the wrong shape (the message
 * names it and what was expected), or a charm directory that does not exist.
 */
export function readModelDescription(path: string, cwd: string): ModelDescription {
  const file = resolve(cwd, path);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new ModelDescriptionError(`${path}: no such model description file`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelDescriptionError(
      `${path} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ModelDescriptionError(`${path}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const base = dirname(file);
  const applications: Record<string, ModelApplicationDescription> = {};
  for (const [name, app] of Object.entries(parsed.data.applications)) {
    const charmDir = resolve(base, app.charm);
    if (!existsSync(charmDir) || !statSync(charmDir).isDirectory()) {
      throw new ModelDescriptionError(
        `${path}: applications.${name}.charm: ${app.charm} is not a directory (paths are relative to the model file)`,
      );
    }
    const exec = Object.fromEntries(
      Object.entries(app.containers).map(([container, c]) => [container, c.exec]),
    );
    applications[name] = { charmDir, charm: app.charm, units: app.units, config: app.config, exec };
  }
  return {
    file,
    juju: parsed.data.juju === undefined ? null : String(parsed.data.juju),
    seed: parsed.data.seed ?? null,
    applications,
    relations: parsed.data.relations,
  };
}
