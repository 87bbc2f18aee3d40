import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ToolFailure } from './errors.js';
import { formatToolOutput, type OutputFormat, type ToolValue } from './go-format.js';
import { HookKilledSignal, type HookSession } from './hook-session.js';
import type { RelationRecord } from './relation-record.js';
import { ACTION_TOOLS, SECRET_TOOLS } from './secret-tools.js';
import { type FlagSpec, goQuoteList, type ParsedArgs, parseKeyValues, parseToolArgs } from './tool-args.js';
import type { OpenedPortEntry, StatusValue } from './unit-record.js';

/** One hook-tool invocation as the client forwards it. */
export interface ToolRequest {
  readonly tool: string;
  readonly args: readonly string[];
  /** The tool's stdin ('' unless it reads `--file -`). */
  readonly stdin: string;
  /** The tool's working directory (for relative `--file` and `-o` paths). */
  readonly cwd: string;
}

/** What the tool prints and how it exits. */
export interface ToolResponse {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a tool's `run` gets. */
export interface ToolContext {
  readonly session: HookSession;
  readonly args: ParsedArgs;
  readonly request: ToolRequest;
  /** Text for stderr besides the result (deprecation warnings). */
  warnings: string[];
}

/** One simulated tool: its flags, output formats and behaviour. */
export interface ToolSpec {
  readonly flags: readonly FlagSpec[];
  /** Formats `--format` accepts; none when the tool prints no value. */
  readonly formats?: readonly OutputFormat[];
  readonly defaultFormat?: OutputFormat;
  /** Returns the value to print (undefined prints nothing). */
  readonly run: (ctx: ToolContext) => ToolValue | undefined;
}

const FORMAT: FlagSpec = { names: ['format'], kind: 'value' };
const OUTPUT: FlagSpec = { names: ['o', 'output'], kind: 'value' };
const RELATION: FlagSpec = { names: ['r', 'relation'], kind: 'value' };
const APP: FlagSpec = { names: ['app'], kind: 'bool' };
const FILE: FlagSpec = { names: ['file'], kind: 'value' };
const READER = [FORMAT, OUTPUT];
const ALL_FORMATS: readonly OutputFormat[] = ['smart', 'yaml', 'json'];

/** Hook tools Juju has that the simulator does not emulate: they answer a clear error, exit 1. */
export const UNSUPPORTED_TOOLS: readonly string[] = [
  'resource-get',
  'juju-reboot',
  'add-metric',
  'pod-spec-get',
  'pod-spec-set',
  'k8s-spec-get',
  'k8s-spec-set',
  'k8s-raw-get',
  'k8s-raw-set',
  'payload-register',
  'payload-unregister',
  'payload-status-set',
  'container-spec-set',
];

function maxArgs(ctx: ToolContext, max: number): readonly string[] {
  const positional = ctx.args.positional;
  if (positional.length > max)
    throw new ToolFailure(2, `unrecognized args: ${goQuoteList(positional.slice(max))}`);
  return positional;
}

function has(ctx: ToolContext, flag: string): boolean {
  return ctx.args.flags.has(flag);
}

/** The relation named by `-r`, else the hook's (juju-contract §2, Relations). */
function relationOf(ctx: ToolContext): RelationRecord {
  const flag = ctx.args.flags.get('r');
  if (!flag) {
    const relation = ctx.session.hookRelation();
    if (!relation) throw new ToolFailure(2, 'no relation id specified');
    return relation;
  }
  const idText = flag.value.slice(flag.value.lastIndexOf(':') + 1);
  if (!/^\d+$/.test(idText)) {
    throw new ToolFailure(2, `invalid value "${flag.value}" for flag ${flag.spelled}: invalid relation id`);
  }
  const relation = ctx.session.findRelation(Number(idText));
  if (!relation)
    throw new ToolFailure(2, `invalid value "${flag.value}" for flag ${flag.spelled}: relation not found`);
  return relation;
}

/** `--file path|-` as a map of strings (YAML; JSON is YAML), merged under the command-line pairs. */
function settingsFrom(ctx: ToolContext): Record<string, string> {
  const fromArgs = parseKeyValues(ctx.args.positional);
  const file = ctx.args.flags.get('file');
  if (!file) return fromArgs;
  let text: string;
  try {
    text =
      file.value === '-' ? ctx.request.stdin : readFileSync(resolve(ctx.request.cwd, file.value), 'utf8');
  } catch (error) {
    throw new ToolFailure(1, `cannot read settings file: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ToolFailure(1, `cannot parse settings file: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) parsed = {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ToolFailure(1, 'cannot parse settings file: expected a map of settings');
  }
  const fromFile: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    fromFile[key] = value === null || value === undefined ? '' : String(value);
  }
  return { ...fromFile, ...fromArgs };
}

function statusValue(status: StatusValue, includeData: boolean): { [key: string]: ToolValue } {
  return includeData
    ? { message: status.message, status: status.status, 'status-data': {} }
    : { status: status.status };
}

function parsePortSpec(spec: string, endpoints: string | undefined): OpenedPortEntry {
  const list: '*' | readonly string[] = endpoints === undefined ? '*' : endpoints.split(',').filter(Boolean);
  if (spec === 'icmp') return { spec, endpoints: list };
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(spec);
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || from < 1 || to > 65535 || to < from) {
    throw new ToolFailure(
      2,
      `invalid port or range "${spec}": expected <port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp`,
    );
  }
  const protocol = match[3] ?? 'tcp';
  return { spec: from === to ? `${from}/${protocol}` : `${from}-${to}/${protocol}`, endpoints: list };
}

function portTool(open: boolean): ToolSpec {
  return {
    flags: [{ names: ['endpoints'], kind: 'value' }, FORMAT],
    run: (ctx) => {
      const [spec] = maxArgs(ctx, 1);
      if (spec === undefined) throw new ToolFailure(2, 'no port or range specified');
      ctx.session.changePort(open, parsePortSpec(spec, ctx.args.flags.get('endpoints')?.value));
      return undefined;
    },
  };
}

/**
 * What `credential-get` answers in the simulator: the simulated application is never deployed
 * with `--trust`, and Juju's controller refuses an untrusted one with its generic permission error.
 */
export const UNTRUSTED_CREDENTIALS = 'cannot access cloud credentials: permission denied';

const TOOLS: Readonly<Record<string, ToolSpec>> = {
  'is-leader': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      return ctx.session.isLeader();
    },
  },
  'leader-get': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [key] = maxArgs(ctx, 1);
      if (key?.includes('=')) throw new ToolFailure(2, `invalid key "${key}"`);
      const settings = ctx.session.leaderGet();
      return key === undefined || key === '-' ? settings : (settings[key] ?? null);
    },
  },
  'leader-set': {
    flags: [],
    run: (ctx) => {
      ctx.session.leaderSet(parseKeyValues(ctx.args.positional));
      return undefined;
    },
  },
  'relation-ids': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [given] = maxArgs(ctx, 1);
      const endpoint = given ?? ctx.session.hookRelation()?.endpoint;
      if (endpoint === undefined) throw new ToolFailure(2, 'no endpoint name specified');
      return ctx.session.relationIds(endpoint).map((id) => `${endpoint}:${id}`);
    },
  },
  'relation-list': {
    flags: [...READER, RELATION, APP],
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      const relation = relationOf(ctx);
      return has(ctx, 'app') ? relation.remoteApp : ctx.session.relationList(relation);
    },
  },
  'relation-get': {
    flags: [...READER, RELATION, APP],
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [key, target] = maxArgs(ctx, 2);
      const relation = relationOf(ctx);
      const bag = ctx.session.relationGet(relation, target ?? null, has(ctx, 'app'));
      return key === undefined || key === '-' ? bag : (bag[key] ?? null);
    },
  },
  'relation-set': {
    flags: [RELATION, APP, FILE, FORMAT],
    run: (ctx) => {
      if (has(ctx, 'format')) ctx.warnings.push('--format flag deprecated for command "relation-set"');
      const relation = relationOf(ctx);
      ctx.session.relationSet(relation, settingsFrom(ctx), has(ctx, 'app'));
      return undefined;
    },
  },
  'relation-model-get': {
    flags: [...READER, RELATION],
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      relationOf(ctx);
      return { uuid: ctx.session.world.modelUuid };
    },
  },
  'config-get': {
    flags: [...READER, { names: ['a', 'all'], kind: 'bool' }],
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [key] = maxArgs(ctx, 1);
      if (key !== undefined && has(ctx, 'a'))
        throw new ToolFailure(2, `cannot use argument --all together with key "${key}"`);
      if (key !== undefined) return ctx.session.configGet()[key] ?? null;
      return has(ctx, 'a') ? ctx.session.configGetAll() : ctx.session.configGet();
    },
  },
  'status-get': {
    flags: [...READER, { names: ['include-data'], kind: 'bool' }, { names: ['application'], kind: 'bool' }],
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      const includeData = has(ctx, 'include-data');
      if (has(ctx, 'application')) {
        const { app, units } = ctx.session.applicationStatus();
        const unitValues: Record<string, ToolValue> = {};
        for (const [name, status] of Object.entries(units))
          unitValues[name] = statusValue(status, includeData);
        return { 'application-status': { ...statusValue(app, includeData), units: unitValues } };
      }
      const status = ctx.session.unitStatus();
      // Smart output without data is just the status word (juju-contract §2, status-get).
      if (!includeData && formatOf(ctx) === 'smart') return status.status;
      return statusValue(status, includeData);
    },
  },
  'status-set': {
    flags: [{ names: ['application'], kind: 'bool' }],
    run: (ctx) => {
      const positional = ctx.args.positional;
      if (positional.length === 0) throw new ToolFailure(2, 'invalid args, require <status> [message]');
      maxArgs(ctx, 2);
      ctx.session.statusSet(positional[0] as string, positional[1] ?? '', has(ctx, 'application'));
      return undefined;
    },
  },
  'application-version-set': {
    flags: [],
    run: (ctx) => {
      const [version] = maxArgs(ctx, 1);
      if (version === undefined) throw new ToolFailure(2, 'no version specified');
      ctx.session.applicationVersionSet(version);
      return undefined;
    },
  },
  'juju-log': {
    flags: [{ names: ['debug'], kind: 'bool' }, { names: ['l', 'log-level'], kind: 'value' }, FORMAT],
    run: (ctx) => {
      if (ctx.args.positional.length === 0) throw new ToolFailure(2, 'no message specified');
      let level = has(ctx, 'debug') ? 'DEBUG' : (ctx.args.flags.get('l')?.value.toUpperCase() ?? 'INFO');
      if (!['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].includes(level)) {
        ctx.session.log('WARNING', `Specified log level of "${level}" is not valid`);
        level = 'INFO';
      }
      ctx.session.log(level, ctx.args.positional.join(' '));
      return undefined;
    },
  },
  ...ACTION_TOOLS,
  ...SECRET_TOOLS,
  'state-get': {
    flags: [...READER, { names: ['strict'], kind: 'bool' }],
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [key] = maxArgs(ctx, 1);
      const state = ctx.session.stateGet();
      if (key === undefined || key === '-') {
        // An empty store is a Go nil map: `{}` in smart/yaml, `null` in JSON.
        return Object.keys(state).length === 0 && formatOf(ctx) === 'json' ? null : state;
      }
      const value = state[key];
      if (value === undefined && has(ctx, 'strict')) throw new ToolFailure(1, `"${key}" not found`);
      return value ?? '';
    },
  },
  'state-set': {
    flags: [FILE],
    run: (ctx) => {
      const values = settingsFrom(ctx);
      for (const [key, value] of Object.entries(values)) {
        if (Buffer.byteLength(key) > 256)
          throw new ToolFailure(1, `key "${key.slice(0, 20)}…" exceeds quota of 256 bytes`);
        if (Buffer.byteLength(value) > 65536)
          throw new ToolFailure(1, `value of key "${key}" exceeds quota of 65536 bytes`);
      }
      ctx.session.stateSet(values);
      return undefined;
    },
  },
  'state-delete': {
    flags: [],
    run: (ctx) => {
      const [key] = maxArgs(ctx, 1);
      if (key !== undefined) ctx.session.stateDelete(key);
      return undefined;
    },
  },
  'credential-get': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      throw new ToolFailure(1, UNTRUSTED_CREDENTIALS);
    },
  },
  'open-port': portTool(true),
  'close-port': portTool(false),
  'opened-ports': {
    flags: [...READER, { names: ['endpoints'], kind: 'bool' }],
    formats: ALL_FORMATS,
    run: (ctx) => {
      maxArgs(ctx, 0);
      return ctx.session.openedPorts().map((entry) => {
        if (!has(ctx, 'endpoints')) return entry.spec;
        return `${entry.spec} (${entry.endpoints === '*' ? '*' : entry.endpoints.join(', ')})`;
      });
    },
  },
  'unit-get': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [setting] = maxArgs(ctx, 1);
      if (setting === undefined) throw new ToolFailure(2, 'no setting specified');
      if (setting !== 'private-address' && setting !== 'public-address') {
        throw new ToolFailure(2, `unknown setting "${setting}"`);
      }
      return ctx.session.world.address(ctx.session.unit.name);
    },
  },
  'network-get': {
    flags: [
      ...READER,
      RELATION,
      { names: ['ingress-address'], kind: 'bool' },
      { names: ['bind-address'], kind: 'bool' },
      { names: ['egress-subnets'], kind: 'bool' },
      { names: ['primary-address'], kind: 'bool' },
    ],
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [binding] = maxArgs(ctx, 1);
      if (binding === undefined) throw new ToolFailure(2, 'no arguments specified');
      if (ctx.args.flags.has('r')) relationOf(ctx);
      const info = ctx.session.networkGet(binding);
      const full: Record<string, ToolValue> = {
        'bind-addresses': info.bindAddresses.map((b) => ({
          'mac-address': b.macAddress,
          'interface-name': b.interfaceName,
          addresses: b.addresses.map((a) => ({ hostname: a.hostname, value: a.value, cidr: a.cidr })),
        })),
        'egress-subnets': [...info.egressSubnets],
        'ingress-addresses': [...info.ingressAddresses],
      };
      const picked: Record<string, ToolValue> = {};
      const first = info.bindAddresses[0]?.addresses[0]?.value ?? '';
      if (has(ctx, 'bind-address') || has(ctx, 'primary-address')) picked['bind-address'] = first;
      if (has(ctx, 'ingress-address')) picked['ingress-address'] = info.ingressAddresses[0] ?? '';
      if (has(ctx, 'egress-subnets')) picked['egress-subnets'] = [...info.egressSubnets];
      const values = Object.values(picked);
      if (values.length === 0) return full;
      return values.length === 1 ? (values[0] as ToolValue) : picked;
    },
  },
  'goal-state': {
    flags: READER,
    formats: ['yaml', 'json'],
    defaultFormat: 'yaml',
    run: (ctx) => {
      maxArgs(ctx, 0);
      return ctx.session.goalState() as unknown as ToolValue;
    },
  },
  'storage-list': {
    flags: READER,
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [name] = maxArgs(ctx, 1);
      return ctx.session.storageList(name);
    },
  },
  'storage-get': {
    flags: [...READER, { names: ['s'], kind: 'value' }],
    formats: ALL_FORMATS,
    run: (ctx) => {
      const [attribute] = maxArgs(ctx, 1);
      const info = ctx.session.storageGet(ctx.args.flags.get('s')?.value);
      if (attribute === undefined) return info;
      if (attribute === 'kind' || attribute === 'location') return info[attribute];
      throw new ToolFailure(1, `invalid storage attribute "${attribute}"`);
    },
  },
  'storage-add': {
    flags: [],
    run: (ctx) => {
      if (ctx.args.positional.length === 0)
        throw new ToolFailure(2, 'storage add requires a storage directive');
      // Parsed all first: one bad directive adds nothing.
      const wanted = ctx.args.positional.map((directive) => {
        const match = /^([a-z][a-z0-9-]*)(?:=(\d+))?$/.exec(directive);
        if (!match) throw new ToolFailure(2, `cannot parse storage directive ${JSON.stringify(directive)}`);
        return { name: match[1] as string, count: match[2] === undefined ? 1 : Number(match[2]) };
      });
      for (const { name, count } of wanted) ctx.session.storageAdd(name, count);
      return undefined;
    },
  },
};

/** Every tool name the simulator installs on PATH (emulated and unsupported). */
export const SIMULATED_TOOL_NAMES: readonly string[] = [...Object.keys(TOOLS), ...UNSUPPORTED_TOOLS].sort();

function formatOf(ctx: ToolContext): OutputFormat {
  return (ctx.args.flags.get('format')?.value as OutputFormat | undefined) ?? 'smart';
}

/**
 * Runs one simulated hook tool against `session` and returns what the real tool would print and
 * its exit code (juju-contract §1–§2). Records the call in the session (where an injected fault
 * may fire).
 * @throws {HookKilledSignal} when a `kill` fault fires: the caller must drop the request unanswered.
 */
export function runSimulatedTool(session: HookSession, request: ToolRequest): ToolResponse {
  let record: { exitCode: number } | undefined;
  try {
    record = session.call(request.tool, request.args);
    const spec = TOOLS[request.tool];
    if (!spec) {
      throw new ToolFailure(1, `${request.tool} is not supported by the charmkit simulator`);
    }
    const args = parseToolArgs(request.args, spec.flags);
    if (args.help) return { exitCode: 0, stdout: `Usage: ${request.tool} [options]\n`, stderr: '' };
    const ctx: ToolContext = { session, args, request, warnings: [] };
    const formatFlag = args.flags.get('format');
    const formats = spec.formats ?? ALL_FORMATS;
    if (formatFlag && !formats.includes(formatFlag.value as OutputFormat)) {
      throw new ToolFailure(
        2,
        `invalid value "${formatFlag.value}" for flag ${formatFlag.spelled}: unknown format "${formatFlag.value}"`,
      );
    }
    const value = spec.run(ctx);
    const stderr = ctx.warnings.map((line) => `${line}\n`).join('');
    if (value === undefined) return { exitCode: 0, stdout: '', stderr };
    const format = (formatFlag?.value as OutputFormat | undefined) ?? spec.defaultFormat ?? 'smart';
    const text = formatToolOutput(value, format);
    const output = args.flags.get('o');
    if (output) {
      writeFileSync(resolve(request.cwd, output.value), text);
      return { exitCode: 0, stdout: '', stderr };
    }
    return { exitCode: 0, stdout: text, stderr };
  } catch (error) {
    if (error instanceof HookKilledSignal) throw error;
    const failure =
      error instanceof ToolFailure
        ? error
        : new ToolFailure(1, `simulator error: ${error instanceof Error ? error.message : String(error)}`);
    if (record) record.exitCode = failure.exitCode;
    return { exitCode: failure.exitCode, stdout: '', stderr: `ERROR ${failure.message}\n` };
  }
}
