import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ToolFailure } from './errors.js';
import type { OutputFormat, ToolValue } from './go-format.js';
import type { SimSecretMetadata } from './secret-store.js';
import { notRunningAction, type SimActionRun } from './sim-actions.js';
import type { FlagSpec } from './tool-args.js';
import { goQuoteList } from './tool-args.js';
import type { ToolContext, ToolSpec } from './tool-commands.js';

// The secret-* and action-* hook tools of process mode (juju-contract §2), over the same
// HookSession methods the in-process backend calls.

const FORMAT: FlagSpec = { names: ['format'], kind: 'value' };
const OUTPUT: FlagSpec = { names: ['o', 'output'], kind: 'value' };
const READER = [FORMAT, OUTPUT];
const YAML_JSON: readonly OutputFormat[] = ['yaml', 'json'];
const ALL_FORMATS: readonly OutputFormat[] = ['smart', 'yaml', 'json'];
const LABEL: FlagSpec = { names: ['label'], kind: 'value' };
const METADATA: readonly FlagSpec[] = [
  LABEL,
  { names: ['description'], kind: 'value' },
  { names: ['expire'], kind: 'value' },
  { names: ['rotate'], kind: 'value' },
  { names: ['file'], kind: 'value' },
];
const GRANT: readonly FlagSpec[] = [
  { names: ['r', 'relation'], kind: 'value' },
  { names: ['unit'], kind: 'value' },
];
const SECRET_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;
const ROTATE = ['never', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

function flag(ctx: ToolContext, name: string): string | undefined {
  return ctx.args.flags.get(name)?.value;
}

function maxArgs(ctx: ToolContext, max: number): readonly string[] {
  const positional = ctx.args.positional;
  if (positional.length > max)
    throw new ToolFailure(2, `unrecognized args: ${goQuoteList(positional.slice(max))}`);
  return positional;
}

function secretId(ctx: ToolContext): string {
  const id = ctx.args.positional[0];
  if (id === undefined) throw new ToolFailure(2, 'missing secret URI');
  return id;
}

function metadataOf(ctx: ToolContext): SimSecretMetadata {
  const rotate = flag(ctx, 'rotate');
  if (rotate !== undefined && !ROTATE.includes(rotate))
    throw new ToolFailure(2, `invalid secret rotate policy "${rotate}"`);
  const metadata: Record<string, string> = {};
  for (const key of ['label', 'description', 'expire', 'rotate']) {
    const value = flag(ctx, key);
    if (value !== undefined) metadata[key] = value;
  }
  return metadata;
}

/** Content from `key=value` arguments (`key#base64=`, `key#file=` too) and `--file` (YAML). */
function contentOf(ctx: ToolContext, pairs: readonly string[]): Record<string, string> | undefined {
  const entries: [string, string][] = [];
  const file = flag(ctx, 'file');
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(resolve(ctx.request.cwd, file), 'utf8'));
    } catch (error) {
      throw new ToolFailure(1, `cannot read secret content file: ${(error as Error).message.split('\n')[0]}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ToolFailure(1, 'cannot parse secret content file: expected a map');
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
      entries.push([key, value === null || value === undefined ? '' : String(value)]);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ToolFailure(2, `expected "key=value", got ${JSON.stringify(pair)}`);
    entries.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  if (entries.length === 0) return undefined;
  const content: Record<string, string> = {};
  for (const [rawKey, rawValue] of entries) {
    let key = rawKey;
    let value = rawValue;
    if (key.endsWith('#base64')) {
      key = key.slice(0, -7);
      value = Buffer.from(value, 'base64').toString('utf8');
    } else if (key.endsWith('#file')) {
      key = key.slice(0, -5);
      value = readFileSync(resolve(ctx.request.cwd, value), 'utf8');
    }
    if (!SECRET_KEY.test(key)) throw new ToolFailure(2, `key "${key}" not valid`);
    content[key] = value;
  }
  return content;
}

function relationIdOf(ctx: ToolContext): number {
  const given = ctx.args.flags.get('r');
  if (!given) throw new ToolFailure(2, 'missing relation id');
  const text = given.value.slice(given.value.lastIndexOf(':') + 1);
  if (!/^\d+$/.test(text))
    throw new ToolFailure(2, `invalid value "${given.value}" for flag ${given.spelled}: invalid relation id`);
  return Number(text);
}

function grantTool(revoke: boolean): ToolSpec {
  return {
    flags: GRANT,
    run: (ctx) => {
      maxArgs(ctx, 1);
      ctx.session.secrets.grant(secretId(ctx), relationIdOf(ctx), flag(ctx, 'unit') ?? null, revoke);
      return undefined;
    },
  };
}

/** The secret-* tools. */
export const SECRET_TOOLS: Readonly<Record<string, ToolSpec>> = {
  'secret-add': {
    flags: [...METADATA, { names: ['owner'], kind: 'value' }],
    run: (ctx) => {
      const owner = flag(ctx, 'owner') ?? 'application';
      if (owner !== 'application' && owner !== 'unit')
        throw new ToolFailure(2, `secret owner "${owner}" not valid`);
      const content = contentOf(ctx, ctx.args.positional);
      if (content === undefined) throw new ToolFailure(2, 'missing secret value or filename');
      return ctx.session.secrets.add(content, owner, metadataOf(ctx));
    },
  },
  'secret-get': {
    flags: [...READER, LABEL, { names: ['peek'], kind: 'bool' }, { names: ['refresh'], kind: 'bool' }],
    formats: YAML_JSON,
    defaultFormat: 'yaml',
    run: (ctx) => {
      const [id, key] = maxArgs(ctx, 2);
      const label = flag(ctx, 'label');
      if (id === undefined && label === undefined)
        throw new ToolFailure(2, 'require either a secret URI or label');
      const content = ctx.session.secrets.get({
        ...(id === undefined ? {} : { id }),
        ...(label === undefined ? {} : { label }),
        peek: ctx.args.flags.has('peek'),
        refresh: ctx.args.flags.has('refresh'),
      });
      if (key === undefined) return content;
      const base64 = key.endsWith('#base64');
      const name = base64 ? key.slice(0, -7) : key;
      const value = content[name];
      if (value === undefined) throw new ToolFailure(1, `secret key "${name}" not found`);
      return base64 ? Buffer.from(value).toString('base64') : value;
    },
  },
  'secret-info-get': {
    flags: [...READER, LABEL],
    formats: YAML_JSON,
    defaultFormat: 'yaml',
    run: (ctx) => {
      const [id] = maxArgs(ctx, 1);
      const label = flag(ctx, 'label');
      if ((id === undefined) === (label === undefined))
        throw new ToolFailure(2, 'specify either a secret URI or label but not both');
      const info = ctx.session.secrets.info(id === undefined ? { label: label as string } : { id });
      const value: Record<string, ToolValue> = {
        revision: info.revision,
        label: info.label,
        owner: info.owner,
      };
      if (info.description !== undefined) value.description = info.description;
      if (info.rotation !== undefined) value.rotation = info.rotation;
      if (info.expiry !== undefined && !Number.isNaN(new Date(info.expiry).getTime()))
        value.expiry = new Date(info.expiry).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (info.access.length > 0) value.access = info.access.map((a) => ({ ...a }));
      return { [info.xid]: value };
    },
  },
  'secret-set': {
    flags: METADATA,
    run: (ctx) => {
      const id = secretId(ctx);
      ctx.session.secrets.set(id, contentOf(ctx, ctx.args.positional.slice(1)), metadataOf(ctx));
      return undefined;
    },
  },
  'secret-grant': grantTool(false),
  'secret-revoke': grantTool(true),
  'secret-remove': {
    flags: [{ names: ['revision'], kind: 'value' }],
    run: (ctx) => {
      maxArgs(ctx, 1);
      const revision = flag(ctx, 'revision');
      if (revision !== undefined && !/^[1-9]\d*$/.test(revision))
        throw new ToolFailure(2, `invalid value "${revision}" for flag --revision: invalid revision`);
      ctx.session.secrets.remove(secretId(ctx), revision === undefined ? null : Number(revision));
      return undefined;
    },
  },
  'secret-ids': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      const ids = ctx.session.secrets.ids();
      // A Go nil slice: `null` in JSON when there are none.
      return ids.length === 0 && flag(ctx, 'format') === 'json' ? null : ids;
    },
  },
};

function actionOf(ctx: ToolContext): SimActionRun {
  return ctx.session.action ?? notRunningAction();
}

/** The action-* tools: Juju's `not running an action` outside an action. */
export const ACTION_TOOLS: Readonly<Record<string, ToolSpec>> = {
  'action-get': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      const action = actionOf(ctx);
      const [key] = maxArgs(ctx, 1);
      return action.get(key) as ToolValue;
    },
  },
  'action-set': {
    flags: [],
    run: (ctx) => {
      const action = actionOf(ctx);
      const pairs = ctx.args.positional.map((arg): [string, string] => {
        const eq = arg.indexOf('=');
        if (eq <= 0) throw new ToolFailure(2, `argument "${arg}" must be of the form key...=value`);
        return [arg.slice(0, eq), arg.slice(eq + 1)];
      });
      action.set(pairs);
      return undefined;
    },
  },
  'action-log': {
    flags: [],
    run: (ctx) => {
      const action = actionOf(ctx);
      if (ctx.args.positional.length === 0) throw new ToolFailure(2, 'no message specified');
      action.log(ctx.args.positional.join(' '));
      return undefined;
    },
  },
  'action-fail': {
    flags: [],
    run: (ctx) => {
      const action = actionOf(ctx);
      const [message] = maxArgs(ctx, 1);
      action.fail(message ?? '');
      return undefined;
    },
  },
};
