/**
 * The known name closest to `name` (edit distance at most 2, or a case-only difference), for a
 * "did you mean …?" hint; null when nothing is close enough to be a likely typo.
 */
export function closestName(name: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate;
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : null;
}

/** `unknown storage "dta"` + ` (did you mean "data"?)` + the list of known names. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const guess = closestName(name, known);
  const hint = guess === null ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
  const list = known.length ? known.map((k) => JSON.stringify(k)).join(', ') : 'none';
  return `${what} ${JSON.stringify(name)} is not declared in the charm's metadata${hint}; declared: ${list}`;
}

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one
 * (optimal string alignment): `bni` is one edit from `bin`, as a typo is.
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
