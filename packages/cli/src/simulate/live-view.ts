/**
 * A few lines redrawn in place on a terminal (cursor up, clear line, write), at most every
 * `intervalMs`. Lines are cut to the terminal's width so a wrapped line never breaks the redraw.
 */
export class LiveView {
  #drawn = 0;
  #last = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns: number,
    private readonly intervalMs = 100,
  ) {}

  /** Redraws with `lines` (skipped when the last draw was too recent, unless `force`). */
  render(lines: readonly string[], force = false): void {
    const now = Date.now();
    if (!force && now - this.#last < this.intervalMs) return;
    this.#last = now;
    let out = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '\x1b[?25l';
    for (const line of lines) out += `\x1b[2K${cut(line, this.columns - 1)}\n`;
    // Fewer lines than last time: blank the rest and come back up.
    const extra = this.#drawn - lines.length;
    if (extra > 0) out += `${'\x1b[2K\n'.repeat(extra)}\x1b[${extra}A`;
    this.#drawn = lines.length;
    this.write(out);
  }

  /** Leaves the last frame on screen and shows the cursor again. */
  done(): void {
    this.write('\x1b[?25h');
    this.#drawn = 0;
  }
}

// ANSI colour sequences take no columns; count only what shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
const ANSI = /\x1b\[[0-9;]*m/g;

function cut(line: string, width: number): string {
  if (line.replace(ANSI, '').length <= width) return line;
  let shown = 0;
  let out = '';
  for (let i = 0; i < line.length && shown < width - 1; ) {
    ANSI.lastIndex = i;
    const match = ANSI.exec(line);
    if (match && match.index === i) {
      out += match[0];
      i += match[0].length;
      continue;
    }
    out += line[i];
    shown++;
    i++;
  }
  return `${out}…\x1b[0m`;
}
