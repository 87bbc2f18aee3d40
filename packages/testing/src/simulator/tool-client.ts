import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SimulatorError } from './errors.js';

/** Which client program forwards hook-tool calls to the simulator. */
export type ToolClientKind = 'perl' | 'node';

// A Perl client with no modules at all (raw socket(2)/connect(2) with AF_UNIX = 1 and SOCK_STREAM
// = 1, Linux values) starts in about 2 ms; loading IO::Socket::UNIX would cost 20 ms and a Node
// client about 80 ms, and a charm hook makes several tool calls. Neither socat nor nc is needed.
const PERL_CLIENT = String.raw`
my $path = $ENV{JUJU_AGENT_SOCKET_ADDRESS};
sub fail { print STDERR "ERROR $_[0]\n"; exit 1; }
fail("JUJU_AGENT_SOCKET_ADDRESS is not set: hook tools only work inside a simulated hook") unless defined $path && $path ne '';
sub ns { return length($_[0]) . ':' . $_[0] . ','; }
my $in = '';
for (my $i = 0; $i < @ARGV; $i++) {
  last if $ARGV[$i] eq '--';
  if ($ARGV[$i] eq '--file=-' || ($ARGV[$i] eq '--file' && $i + 1 < @ARGV && $ARGV[$i + 1] eq '-')) {
    local $/; binmode STDIN; $in = <STDIN>; $in = '' unless defined $in; last;
  }
}
my $cwd = readlink('/proc/self/cwd'); $cwd = '.' unless defined $cwd;
my $ctx = defined $ENV{JUJU_CONTEXT_ID} ? $ENV{JUJU_CONTEXT_ID} : '';
my $req = ns('ck1') . ns($ctx) . ns($tool) . ns($cwd) . ns($in) . join('', map { ns($_) } @ARGV);
socket(my $s, 1, 1, 0) or fail("cannot create a socket: $!");
connect($s, pack('S', 1) . $path) or fail("cannot reach the charmkit simulator at $path: $!");
my $off = 0;
while ($off < length $req) {
  my $n = syswrite($s, $req, length($req) - $off, $off);
  fail("cannot send to the charmkit simulator: $!") unless defined $n;
  $off += $n;
}
shutdown($s, 1);
my $resp = '';
while (1) {
  my $n = sysread($s, my $buf, 65536);
  fail("cannot read from the charmkit simulator: $!") unless defined $n;
  last if $n == 0;
  $resp .= $buf;
}
my @f; my $p = 0;
while ($p < length $resp) {
  my $c = index($resp, ':', $p);
  last if $c < 0;
  my $len = substr($resp, $p, $c - $p);
  push @f, substr($resp, $c + 1, $len);
  $p = $c + 1 + $len + 1;
}
fail("the charmkit simulator dropped the call") if @f < 3;
binmode STDOUT; binmode STDERR;
print STDOUT $f[1];
print STDERR $f[2];
exit($f[0] + 0);
`;

const NODE_CLIENT = String.raw`
const net = require('node:net');
const fs = require('node:fs');
const args = process.argv.slice(2);
const fail = (m) => { process.stderr.write('ERROR ' + m + '\n'); process.exit(1); };
const path = process.env.JUJU_AGENT_SOCKET_ADDRESS;
if (!path) fail('JUJU_AGENT_SOCKET_ADDRESS is not set: hook tools only work inside a simulated hook');
let stdin = Buffer.alloc(0);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--') break;
  if (args[i] === '--file=-' || (args[i] === '--file' && args[i + 1] === '-')) { stdin = fs.readFileSync(0); break; }
}
const ns = (v) => { const b = Buffer.isBuffer(v) ? v : Buffer.from(v); return Buffer.concat([Buffer.from(b.length + ':'), b, Buffer.from(',')]); };
const req = Buffer.concat([ns('ck1'), ns(process.env.JUJU_CONTEXT_ID || ''), ns(tool), ns(process.cwd()), ns(stdin), ...args.map(ns)]);
const chunks = [];
const socket = net.createConnection(path, () => socket.end(req));
socket.on('data', (c) => chunks.push(c));
socket.on('error', (e) => fail('cannot reach the charmkit simulator at ' + path + ': ' + e.message));
socket.on('close', () => {
  const data = Buffer.concat(chunks);
  const f = [];
  let p = 0;
  while (p < data.length) {
    const c = data.indexOf(58, p);
    if (c < 0) break;
    const len = Number(data.toString('ascii', p, c));
    f.push(data.subarray(c + 1, c + 1 + len));
    p = c + 1 + len + 1;
  }
  if (f.length < 3) fail('the charmkit simulator dropped the call');
  process.stdout.write(f[1]);
  process.stderr.write(f[2]);
  process.exitCode = Number(f[0].toString());
});
`;

/** Finds an executable on `PATH`, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The client the simulator uses when none is asked for: Perl when installed, else Node. */
export function defaultToolClient(): ToolClientKind {
  return findOnPath('perl') ? 'perl' : 'node';
}

/**
 * Writes one executable per tool name into `dir`, each a small client with its tool name built in
 * (no reliance on how symlinks report `$0`). Returns `dir`, to put first on the hooks' PATH.
 */
export function installToolClients(dir: string, tools: readonly string[], kind: ToolClientKind): string {
  mkdirSync(dir, { recursive: true });
  let header: string;
  let body: string;
  if (kind === 'perl') {
    const perl = findOnPath('perl');
    if (!perl) throw new SimulatorError('toolClient "perl" was asked for, but perl is not on PATH');
    header = `#!${perl}\n# charmkit simulator hook-tool client (generated)\nmy $tool = `;
    body = PERL_CLIENT;
  } else {
    header = `#!${process.execPath}\n// charmkit simulator hook-tool client (generated)\nconst tool = `;
    body = NODE_CLIENT;
    // Extensionless files are CommonJS only outside a "type": "module" package scope.
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  }
  for (const tool of tools) {
    if (!/^[a-z][a-z0-9-]*$/.test(tool)) throw new SimulatorError(`not a tool name: ${JSON.stringify(tool)}`);
    writeFileSync(join(dir, tool), `${header}'${tool}';${body}`, { mode: 0o755 });
  }
  return dir;
}
