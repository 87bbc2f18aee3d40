import { describe, expect, it } from 'vitest';
import {
  type ActionMeta,
  ActionParamsError,
  CharmMetaError,
  UnknownEndpointError,
  validateActionParams,
} from '../../src/index.js';
import { paramSchema } from '../../src/internal/index.js';
import { makeModel } from './model-fixture.js';

function action(params: ActionMeta['params'], extra: Partial<ActionMeta> = {}): ActionMeta {
  return { name: 'act', description: '', params, required: [], additionalProperties: true, ...extra };
}

function paramError(run: () => unknown): ActionParamsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionParamsError);
    return error as ActionParamsError;
  }
  throw new Error('expected an ActionParamsError');
}

describe('model.actionParams', () => {
  it('fetches action-get once, validates, and applies defaults', () => {
    const { model, backend } = makeModel();
    backend.actionParams = { target: '/backup' };
    const params = model.actionParams('backup');
    expect(params).toEqual({ target: '/backup', compress: true, level: 6 });
    expect(model.actionParams('backup')).toBe(params);
    expect(backend.calls).toEqual(['action-get']);
  });

  it('names the bad parameter', () => {
    const { model, backend } = makeModel();
    backend.actionParams = { target: '/b', level: 12 };
    const error = paramError(() => model.actionParams('backup'));
    expect(error.code).toBe('CHARMKIT_ACTION_PARAMS');
    expect(error.action).toBe('backup');
    expect(error.param).toBe('level');
    expect(error.message).toMatch(/invalid parameters for action "backup": level: must be at most 9/);
  });

  it('reports missing required and unknown parameters', () => {
    const { model, backend } = makeModel();
    backend.actionParams = {};
    expect(paramError(() => model.actionParams('backup')).message).toMatch(
      /target: required string is missing/,
    );
    const other = makeModel();
    other.backend.actionParams = { target: 'x', colour: 'red' };
    const error = paramError(() => other.model.actionParams('backup'));
    expect(error.param).toBe('colour');
    expect(error.message).toMatch(/unknown parameter\(s\) colour/);
  });

  it('rejects an undeclared action with a suggestion, before action-get', () => {
    const { model, backend } = makeModel();
    expect(() => model.actionParams('bakup')).toThrow(UnknownEndpointError);
    expect(() => model.actionParams('bakup')).toThrow(/did you mean "backup"/);
    expect(backend.calls).toEqual([]);
  });
});

describe('the JSON-schema subset', () => {
  it('checks types, bounds, lengths, patterns and enums', () => {
    const meta = action({
      name: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' },
      count: { type: 'integer', minimum: 1 },
      ratio: { type: 'number', maximum: 1, exclusiveMaximum: true },
      mode: { type: 'string', enum: ['fast', 'safe'] },
      flag: { type: 'boolean' },
    });
    expect(
      validateActionParams(meta, { name: 'ab', count: 3, ratio: 0.5, mode: 'safe', flag: false }),
    ).toEqual({
      name: 'ab',
      count: 3,
      ratio: 0.5,
      mode: 'safe',
      flag: false,
    });
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 'a' }, 'name', /name: must have at least 2 characters/],
      [{ name: 'abcde' }, 'name', /name: must have at most 4 characters/],
      [{ name: 'AB' }, 'name', /name: must match the pattern \/\^\[a-z\]\+\$\//],
      [{ count: 1.5 }, 'count', /count: expected integer, got number$/],
      [{ count: 0 }, 'count', /count: must be at least 1/],
      [{ ratio: 1 }, 'ratio', /ratio: must be less than 1/],
      [{ mode: 'slow' }, 'mode', /mode: expected one of "fast", "safe"$/],
      [{ flag: 'true' }, 'flag', /flag: expected boolean/],
    ];
    for (const [params, param, message] of bad) {
      const error = paramError(() => validateActionParams(meta, params));
      expect(error.param).toBe(param);
      expect(error.message).toMatch(message);
    }
  });

  it('checks arrays and nested objects, with nested defaults and required fields', () => {
    const meta = action(
      {
        hosts: { type: 'array', items: { type: 'string' }, minItems: 1 },
        tls: {
          type: 'object',
          properties: { cert: { type: 'string' }, verify: { type: 'boolean', default: true } },
          required: ['cert'],
          additionalProperties: false,
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
      { required: ['hosts'] },
    );
    expect(validateActionParams(meta, { hosts: ['a'], tls: { cert: 'c' }, labels: { x: 'y' } })).toEqual({
      hosts: ['a'],
      tls: { cert: 'c', verify: true },
      labels: { x: 'y' },
    });
    expect(paramError(() => validateActionParams(meta, { hosts: ['a', 2] })).param).toBe('hosts.1');
    expect(paramError(() => validateActionParams(meta, { hosts: [] })).message).toMatch(
      /hosts: must have at least 1 items/,
    );
    expect(paramError(() => validateActionParams(meta, { hosts: ['a'], tls: {} })).param).toBe('tls.cert');
    expect(paramError(() => validateActionParams(meta, { hosts: ['a'], labels: { x: 1 } })).param).toBe(
      'labels.x',
    );
    expect(
      paramError(() => validateActionParams(meta, { hosts: ['a'], tls: { cert: 'c', x: 1 } })).message,
    ).toMatch(/unknown key\(s\) x/);
  });

  it('keeps unknown parameters when additionalProperties is not false, and allows type lists', () => {
    const meta = action({ value: { type: ['string', 'integer'] } });
    expect(validateActionParams(meta, { value: 3, other: 'kept' })).toEqual({ value: 3, other: 'kept' });
    expect(validateActionParams(meta, { value: 'x' })).toEqual({ value: 'x' });
    expect(() => validateActionParams(meta, { value: true })).toThrow(ActionParamsError);
  });

  it('rejects schemas outside the subset as metadata errors', () => {
    expect(() => paramSchema({ type: 'date' }, 'act.params.when')).toThrow(CharmMetaError);
    expect(() => paramSchema({ type: 'date' }, 'act.params.when')).toThrow(/act.params.when: type "date"/);
    expect(() => paramSchema({ type: 'string', pattern: '(' }, 'p')).toThrow(
      /not a valid regular expression/,
    );
    expect(() => paramSchema({ enum: [] }, 'p')).toThrow(/non-empty list/);
    expect(() => paramSchema({ type: 'integer', minimum: 'one' }, 'p')).toThrow(/minimum must be a number/);
  });
});
