/**
 * Every field of every Pebble object, through the parser and the writer its table gives.
 *
 * Each object has a sample with every field set (`Full<T>` makes a missing field a compile error,
 * `unsetFields` a test failure) and the same object written out by hand in Pebble's spelling. A
 * field the parser or writer misses, or a wrong wire key, fails here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Fields, TableLike } from '../../src/pebble/field-table.js';
import type {
  Change,
  CheckInfo,
  FileInfo,
  Layer,
  Notice,
  Plan,
  ServiceInfo,
  SystemInfo,
} from '../../src/pebble/index.js';
import { PebbleClient } from '../../src/pebble/index.js';
import { layer, plan } from '../../src/pebble/layer-tables.js';
import { layerToWire, layerToYaml } from '../../src/pebble/layer-to-yaml.js';
import {
  change,
  checkInfo,
  fileInfo,
  notice,
  serviceInfo,
  systemInfo,
} from '../../src/pebble/state-tables.js';
import {
  changeSchema,
  checkInfoListSchema,
  fileInfoListSchema,
  noticeSchema,
  parseWire,
  planSchema,
  serviceInfoListSchema,
  systemInfoSchema,
} from '../../src/pebble/wire-schemas.js';
import { FakePebbleServer } from './fake-pebble-server.js';

/** `T` with every field, nested ones included, required. */
type Full<T> = T extends Date
  ? T
  : T extends readonly (infer E)[]
    ? Full<E>[]
    : T extends object
      ? { [K in keyof T]-?: Full<T[K]> }
      : T;

/** Paths of the table's fields that `value` leaves unset, looking into nested tables. */
function unsetFields(table: TableLike<unknown>, value: unknown, path = ''): string[] {
  const object = value as Record<string, unknown>;
  const missing: string[] = [];
  for (const [name, field] of Object.entries(table.fields as Fields)) {
    const item = object[name];
    const at = `${path}${name}`;
    if (item === undefined) {
      missing.push(at);
      continue;
    }
    if (field.nested === undefined) continue;
    const { table: inner, shape } = field.nested;
    const items =
      shape === 'object' ? [item] : shape === 'array' ? (item as unknown[]) : Object.values(item as object);
    if (items.length === 0) missing.push(`${at}[]`);
    for (const entry of items) missing.push(...unsetFields(inner, entry, `${at}.`));
  }
  return missing;
}

/** Every key path of a JSON-like value, sorted; arrays and maps are looked into. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${path}[]`));
  if (typeof value !== 'object' || value === null || value instanceof Date) return [];
  return Object.entries(value)
    .flatMap(([key, item]) => [`${path}${key}`, ...keyPaths(item, `${path}${key}.`)])
    .sort();
}

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

// --- layers and the plan ------------------------------------------------------------------

const fullLayer: Full<Layer> = {
  summary: 'web server',
  description: 'serves the site',
  services: {
    web: {
      override: 'replace',
      summary: 'web',
      description: 'the web server',
      startup: 'enabled',
      command: 'python3 -m http.server 8080',
      after: ['init'],
      before: ['proxy'],
      requires: ['init'],
      environment: { PORT: '8080', 'user-id': 'kept', camelCase: 'kept' },
      user: 'web',
      userId: 1000,
      group: 'web',
      groupId: 1001,
      workingDir: '/srv',
      onSuccess: 'ignore',
      onFailure: 'restart',
      onCheckFailure: { 'web-alive': 'restart', workingDir: 'shutdown' },
      backoffDelay: '1s',
      backoffFactor: 1.5,
      backoffLimit: '30s',
      killDelay: '5s',
    },
  },
  checks: {
    'web-alive': {
      override: 'replace',
      level: 'alive',
      startup: 'disabled',
      period: '10s',
      timeout: '3s',
      threshold: 4,
      http: { url: 'http://localhost:8080/', headers: { 'X-Token': 'a', userId: 'kept' } },
      tcp: { port: 8080, host: 'localhost' },
      exec: {
        command: 'curl -f localhost:8080',
        serviceContext: 'web',
        environment: { workingDir: 'kept' },
        user: 'web',
        userId: 1000,
        group: 'web',
        groupId: 1001,
        workingDir: '/srv',
      },
    },
  },
  logTargets: {
    loki: {
      override: 'merge',
      type: 'loki',
      location: 'http://loki:3100/loki/api/v1/push',
      services: ['all', '-init'],
      labels: { app: 'web', logTargets: 'kept' },
    },
  },
};

// The same layer as Pebble spells it; keys inside user data keep their spelling.
const wireLayer = {
  summary: 'web server',
  description: 'serves the site',
  services: {
    web: {
      override: 'replace',
      summary: 'web',
      description: 'the web server',
      startup: 'enabled',
      command: 'python3 -m http.server 8080',
      after: ['init'],
      before: ['proxy'],
      requires: ['init'],
      environment: { PORT: '8080', 'user-id': 'kept', camelCase: 'kept' },
      user: 'web',
      'user-id': 1000,
      group: 'web',
      'group-id': 1001,
      'working-dir': '/srv',
      'on-success': 'ignore',
      'on-failure': 'restart',
      'on-check-failure': { 'web-alive': 'restart', workingDir: 'shutdown' },
      'backoff-delay': '1s',
      'backoff-factor': 1.5,
      'backoff-limit': '30s',
      'kill-delay': '5s',
    },
  },
  checks: {
    'web-alive': {
      override: 'replace',
      level: 'alive',
      startup: 'disabled',
      period: '10s',
      timeout: '3s',
      threshold: 4,
      http: { url: 'http://localhost:8080/', headers: { 'X-Token': 'a', userId: 'kept' } },
      tcp: { port: 8080, host: 'localhost' },
      exec: {
        command: 'curl -f localhost:8080',
        'service-context': 'web',
        environment: { workingDir: 'kept' },
        user: 'web',
        'user-id': 1000,
        group: 'web',
        'group-id': 1001,
        'working-dir': '/srv',
      },
    },
  },
  'log-targets': {
    loki: {
      override: 'merge',
      type: 'loki',
      location: 'http://loki:3100/loki/api/v1/push',
      services: ['all', '-init'],
      labels: { app: 'web', logTargets: 'kept' },
    },
  },
};

const { summary: _summary, description: _description, ...wirePlan } = wireLayer;
const fullPlan: Full<Plan> = {
  services: fullLayer.services,
  checks: fullLayer.checks,
  logTargets: fullLayer.logTargets,
};

describe('layer and plan tables', () => {
  it('have samples that set every field', () => {
    expect(unsetFields(layer, fullLayer)).toEqual([]);
    expect(unsetFields(plan, fullPlan)).toEqual([]);
  });

  it('notice a field the sample leaves out (so the check above can fail)', () => {
    const { killDelay: _, ...service } = fullLayer.services.web!;
    const { exec: __, ...check } = fullLayer.checks['web-alive']!;
    expect(unsetFields(layer, { ...fullLayer, services: { web: service }, checks: { c: check } })).toEqual([
      'services.killDelay',
      'checks.exec',
    ]);
  });

  it('write every field of a layer in Pebble spelling, to YAML too', () => {
    expect(layerToWire(fullLayer)).toEqual(wireLayer);
    expect(parseYaml(layerToYaml(fullLayer))).toEqual(wireLayer);
  });

  it('read every field back from Pebble spelling', () => {
    expect(parseWire(layer.schema, wireLayer, 'a layer')).toEqual(fullLayer);
    expect(parseWire(layer.schema, parseYaml(layerToYaml(fullLayer)), 'a layer')).toEqual(fullLayer);
    expect(parseWire(planSchema(), wirePlan, 'the plan')).toEqual(fullPlan);
    expect(plan.toWire(fullPlan)).toEqual(wirePlan);
  });

  it('give the plan the sections of a layer', () => {
    const sections = (fields: Fields) =>
      Object.entries(fields)
        .filter(([, field]) => field.nested?.shape === 'record')
        .map(([name, field]) => [name, field.wire, field.nested?.table]);
    expect(sections(plan.fields)).toEqual(sections(layer.fields));
    expect(Object.keys(plan.fields)).toEqual(sections(layer.fields).map(([name]) => name));
  });

  describe('through Pebble', () => {
    let fake: FakePebbleServer;
    beforeEach(async () => {
      fake = await FakePebbleServer.start();
    });
    afterEach(async () => {
      await fake.close();
    });

    it('keeps every field of a layer from addLayer to getPlan', async () => {
      const client = new PebbleClient({ socketPath: fake.socketPath, timeout: 5000 });
      await client.addLayer('web', fullLayer);
      expect(await client.getPlan()).toEqual(fullPlan);
    });
  });
});

// --- what Pebble reports --------------------------------------------------------------------

const at = (text: string) => new Date(text);

const fullSystemInfo: Full<SystemInfo> = { version: '1.19.0', bootId: 'b00t', httpAddress: ':4000' };
const wireSystemInfo = { version: '1.19.0', 'boot-id': 'b00t', 'http-address': ':4000' };

const fullServiceInfo: Full<ServiceInfo> = {
  name: 'web',
  startup: 'disabled',
  current: 'backoff',
  currentSince: at('2024-05-06T07:08:09.123Z'),
};
const wireServiceInfo = {
  name: 'web',
  startup: 'disabled',
  current: 'backoff',
  'current-since': '2024-05-06T07:08:09.123Z',
};

const fullCheckInfo: Full<CheckInfo> = {
  name: 'web-alive',
  level: 'ready',
  startup: 'disabled',
  status: 'down',
  failures: 2,
  threshold: 3,
  changeId: '42',
};
const wireCheckInfo = {
  name: 'web-alive',
  level: 'ready',
  startup: 'disabled',
  status: 'down',
  failures: 2,
  threshold: 3,
  'change-id': '42',
};

const fullNotice: Full<Notice> = {
  id: '7',
  userId: 1000,
  type: 'custom',
  key: 'example.com/reload',
  firstOccurred: at('2024-05-06T07:00:00.000Z'),
  lastOccurred: at('2024-05-06T08:00:00.000Z'),
  lastRepeated: at('2024-05-06T07:30:00.000Z'),
  occurrences: 3,
  lastData: { reason: 'config' },
  repeatAfter: 90_000,
  expireAfter: 604_800_000,
};
const wireNotice = {
  id: '7',
  'user-id': 1000,
  type: 'custom',
  key: 'example.com/reload',
  'first-occurred': '2024-05-06T07:00:00Z',
  'last-occurred': '2024-05-06T08:00:00Z',
  'last-repeated': '2024-05-06T07:30:00Z',
  occurrences: 3,
  'last-data': { reason: 'config' },
  'repeat-after': '1m30s',
  'expire-after': '168h0m0s',
};

const fullFileInfo: Full<FileInfo> = {
  path: '/srv/index.html',
  name: 'index.html',
  type: 'file',
  size: 512,
  permissions: 0o640,
  lastModified: at('2024-05-06T07:08:09.000Z'),
  userId: 1000,
  user: 'web',
  groupId: 1001,
  group: 'web',
};
const wireFileInfo = {
  path: '/srv/index.html',
  name: 'index.html',
  type: 'file',
  size: 512,
  permissions: '640',
  'last-modified': '2024-05-06T07:08:09Z',
  'user-id': 1000,
  user: 'web',
  'group-id': 1001,
  group: 'web',
};

const fullChange: Full<Change> = {
  id: '12',
  kind: 'replan',
  summary: 'Replan service "web"',
  status: 'Error',
  tasks: [
    {
      id: '30',
      kind: 'start',
      summary: 'Start service "web"',
      status: 'Error',
      log: ['2024-05-06T07:08:09Z ERROR cannot start service'],
      progress: { label: 'starting', done: 1, total: 2 },
      spawnTime: at('2024-05-06T07:08:09.000Z'),
      readyTime: at('2024-05-06T07:08:10.000Z'),
      data: { service: 'web' },
    },
  ],
  ready: true,
  err: 'cannot perform the following tasks',
  spawnTime: at('2024-05-06T07:08:09.000Z'),
  readyTime: at('2024-05-06T07:08:10.500Z'),
  data: { services: ['web'] },
};
const wireChange = {
  id: '12',
  kind: 'replan',
  summary: 'Replan service "web"',
  status: 'Error',
  tasks: [
    {
      id: '30',
      kind: 'start',
      summary: 'Start service "web"',
      status: 'Error',
      log: ['2024-05-06T07:08:09Z ERROR cannot start service'],
      progress: { label: 'starting', done: 1, total: 2 },
      'spawn-time': '2024-05-06T07:08:09Z',
      'ready-time': '2024-05-06T07:08:10Z',
      data: { service: 'web' },
    },
  ],
  ready: true,
  err: 'cannot perform the following tasks',
  'spawn-time': '2024-05-06T07:08:09Z',
  'ready-time': '2024-05-06T07:08:10.5Z',
  data: { services: ['web'] },
};

describe('tables of what Pebble reports', () => {
  // table, parser as the client uses it, full sample, the sample as Pebble sends it
  const cases = [
    [
      'system info',
      systemInfo,
      (w: unknown) => parseWire(systemInfoSchema(), w, 'x'),
      fullSystemInfo,
      wireSystemInfo,
    ],
    [
      'service info',
      serviceInfo,
      (w: unknown) => parseWire(serviceInfoListSchema(), [w], 'x')[0],
      fullServiceInfo,
      wireServiceInfo,
    ],
    [
      'check info',
      checkInfo,
      (w: unknown) => parseWire(checkInfoListSchema(), [w], 'x')[0],
      fullCheckInfo,
      wireCheckInfo,
    ],
    ['notice', notice, (w: unknown) => parseWire(noticeSchema(), w, 'x'), fullNotice, wireNotice],
    [
      'file info',
      fileInfo,
      (w: unknown) => parseWire(fileInfoListSchema(), [w], 'x')[0],
      fullFileInfo,
      wireFileInfo,
    ],
    ['change', change, (w: unknown) => parseWire(changeSchema(), w, 'x'), fullChange, wireChange],
  ] as const;

  it.each(cases)('%s: the sample sets every field', (_name, table, _parse, full) => {
    expect(unsetFields(table as TableLike<unknown>, full)).toEqual([]);
  });

  it.each(cases)('%s: every field is read from Pebble spelling', (_name, _table, parse, full, wire) => {
    expect(parse(wire)).toEqual(full);
  });

  it.each(cases)(
    '%s: every field is written in Pebble spelling and read back',
    (_name, table, parse, full, wire) => {
      const written = json((table as TableLike<unknown>).toWire(full));
      expect(keyPaths(written)).toEqual(keyPaths(wire));
      expect(parse(written)).toEqual(full);
    },
  );
});
