import { invalidArgument } from './errors.js';
import { MAX_ARGUMENT_BYTES, type ToolRunner } from './run-tool.js';
import { describe, requireString } from './validate.js';

/** The levels `juju-log --log-level` understands. */
export type JujuLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** The levels of {@link JujuLogLevel}, lowest first. */
export const JUJU_LOG_LEVELS: readonly JujuLogLevel[] = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARNING',
  'ERROR',
  'CRITICAL',
];

/**
 * Writes to the unit's log (and `juju debug-log`): `juju-log --log-level <LEVEL> -- <message>`
 * (`--` so a message starting with `-` is not read as a flag).
 *
 * A command-line argument is limited to {@link MAX_ARGUMENT_BYTES} bytes (UTF-8, not characters),
 * so a longer message is logged as a notice line followed by consecutive chunks, each within the
 * limit and never cutting a character in two; one process per line. NUL characters, which no
 * command line can carry, are replaced by U+FFFD rather than losing the message.
 */
export function jujuLog(runner: ToolRunner, level: JujuLogLevel, message: string): void {
  if (!JUJU_LOG_LEVELS.includes(level)) {
    throw invalidArgument(
      'juju-log',
      `level must be one of ${JUJU_LOG_LEVELS.join(', ')}, got ${describe(level)}`,
    );
  }
  const text = requireString('juju-log', 'message', message).replaceAll('\0', '\uFFFD');
  const chunks = splitUtf8(text, MAX_ARGUMENT_BYTES);
  if (chunks.length > 1) {
    const bytes = Buffer.byteLength(text, 'utf8');
    runner.run('juju-log', [
      '--log-level',
      level,
      '--',
      `Log message of ${bytes} bytes exceeds the ${MAX_ARGUMENT_BYTES}-byte argument limit; logging it in ${chunks.length} parts`,
    ]);
  }
  for (const chunk of chunks) runner.run('juju-log', ['--log-level', level, '--', chunk]);
}

/**
 * Splits `text` into pieces of at most `maxBytes` UTF-8 bytes, cutting only between characters.
 * Exported for tests.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  // Fast path: a UTF-16 code unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return [text];
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return [text];
  const chunks: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Back off while the cut would land on a continuation byte (10xxxxxx) of a multi-byte character.
    if (end < bytes.length) {
      while (end > start && ((bytes[end] as number) & 0xc0) === 0x80) end--;
      // Only when maxBytes is smaller than one character: no cut point exists.
      if (end === start) throw new RangeError(`cannot split text into pieces of ${maxBytes} bytes`);
    }
    chunks.push(bytes.toString('utf8', start, end));
    start = end;
  }
  return chunks;
}
