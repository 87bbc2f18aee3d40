// The floor: Node starting, loading better-sqlite3 and opening a database, and nothing else.
// Bundled like a charm (one ESM file, the addon beside it).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const here = dirname(fileURLToPath(import.meta.url));
const db = new Database(join(process.cwd(), '.floor.db'), {
  nativeBinding: join(here, 'better_sqlite3.node'),
});
db.close();
