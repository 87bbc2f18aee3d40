import type { CharmMeta } from '@charmkit/ops';
import { HandlerDefinitionError } from './errors.js';

const ROLE = /^(requires|provides|peers):(.+)$/;
const HOOK_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Expands a hook pattern into the hook names it matches. `{a,b}` is alternation (nested groups
 * too) and `{role:interface}` stands for every endpoint of that role and interface in the
 * metadata: `{requires:pgsql}-relation-{joined,changed}` → `db-relation-joined`,
 * `db-relation-changed` when `db` requires `pgsql`.
 *
 * @throws {HandlerDefinitionError} unbalanced braces, or a result that is not a hook name.
 */
export function expandHookPattern(pattern: string, meta: CharmMeta): string[] {
  const names = expand(pattern, meta, pattern);
  for (const name of names) {
    if (!HOOK_NAME.test(name)) {
      throw new HandlerDefinitionError(
        `hook pattern ${JSON.stringify(pattern)} gives ${JSON.stringify(name)}, which is not a hook name`,
      );
    }
  }
  return [...new Set(names)];
}

function expand(pattern: string, meta: CharmMeta, whole: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) {
    if (pattern.includes('}')) throw unbalanced(whole);
    return [pattern];
  }
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) throw unbalanced(whole);
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const alternatives: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = pattern.slice((bounds[i] as number) + 1, bounds[i + 1]);
    const role = ROLE.exec(part);
    if (role) alternatives.push(...endpoints(meta, role[1] as string, role[2] as string));
    else alternatives.push(...expand(part, meta, whole));
  }
  const tails = expand(tail, meta, whole);
  return alternatives.flatMap((alt) => tails.map((t) => `${head}${alt}${t}`));
}

function endpoints(meta: CharmMeta, role: string, iface: string): string[] {
  const map = role === 'requires' ? meta.requires : role === 'provides' ? meta.provides : meta.peers;
  return [...map.values()].filter((r) => r.interface === iface).map((r) => r.name);
}

function unbalanced(pattern: string): HandlerDefinitionError {
  return new HandlerDefinitionError(`hook pattern ${JSON.stringify(pattern)} has unbalanced braces`);
}
