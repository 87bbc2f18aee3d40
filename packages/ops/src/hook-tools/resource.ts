import { HookToolOutputError } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { requireNonEmpty } from './validate.js';

/**
 * The local path of a resource, downloading it on first use: `resource-get -- <name>`. The tool
 * prints a bare path (it has no JSON format). Fails if the resource is not available.
 */
export function resourceGet(runner: ToolRunner, name: string): string {
  const args = ['--', requireNonEmpty('resource-get', 'resource name', name)];
  const path = runner.run('resource-get', args);
  if (path.trim() === '') {
    throw new HookToolOutputError(`resource-get printed no path for resource ${JSON.stringify(name)}`, {
      tool: 'resource-get',
      args,
      exitCode: 0,
      stderr: '',
    });
  }
  return path;
}
