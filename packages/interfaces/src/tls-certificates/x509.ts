import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import { PemError, TlsRequestError } from './errors.js';

/**
 * X.509 for the tls-certificates interface. Parsing certificates and comparing keys uses Node's
 * own `crypto.X509Certificate` (synchronous, no dependency); making CSRs and certificates uses
 * `@peculiar/x509` over WebCrypto, loaded on first use (it needs the `reflect-metadata`
 * polyfill, imported with it), so hooks that only read certificates never load it.
 */

/** The subject and extensions a certificate is requested for (the Python library's attributes). */
export interface CertificateRequest {
  readonly commonName?: string;
  readonly sansDns?: readonly string[];
  readonly sansIp?: readonly string[];
  readonly sansOid?: readonly string[];
  readonly emailAddress?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly countryName?: string;
  readonly stateOrProvinceName?: string;
  readonly localityName?: string;
  /** Ask for a CA certificate (to sign others). */
  readonly isCa?: boolean;
  /**
   * Put a random `x500UniqueIdentifier` in the subject (default true, as the Python library), so
   * a renewal's CSR differs from the one it replaces even with the same key.
   */
  readonly addUniqueIdToSubjectName?: boolean;
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | null = null;

async function x509(): Promise<X509Module> {
  x509Module ??= (async () => {
    // @peculiar/x509's dependency injection (tsyringe) needs this global polyfill first.
    await import('reflect-metadata');
    const mod = await import('@peculiar/x509');
    mod.cryptoProvider.set(webcrypto as unknown as Parameters<X509Module['cryptoProvider']['set']>[1]);
    return mod;
  })();
  return x509Module;
}

const SAN_OID = '2.5.29.17';
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** PEM with `\n` line ends and no trailing newline: how the Python library writes PEM into bags. */
export function normalizePem(pem: string): string {
  return pem.replace(/\r\n/g, '\n').trim();
}

/** The DER bytes of a PEM block, base64, whitespace removed: equal for equal objects. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
}

/** Whether two PEM texts hold the same object, whatever their line breaks. */
export function samePem(a: string, b: string): boolean {
  return pemBody(a) === pemBody(b);
}

/** The sha256 hex of a CSR's PEM text, as the Python library names its secrets. */
export function csrDigest(csrPem: string): string {
  return createHash('sha256').update(normalizePem(csrPem), 'utf8').digest('hex');
}

/** A new 2048-bit RSA private key, PKCS#8 PEM. */
export function generatePrivateKey(bits = 2048): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return normalizePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

function privateKeyObject(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new PemError(`not a PEM private key: ${(error as Error).message}`);
  }
}

async function webKeys(privatePem: string): Promise<webcrypto.CryptoKeyPair> {
  const key = privateKeyObject(privatePem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, RSA, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, RSA, true, ['verify']);
  return { privateKey, publicKey } as webcrypto.CryptoKeyPair;
}

/** Checks what a CA would refuse, before anything is sent. */
export function checkCertificateRequest(request: CertificateRequest): void {
  const cn = request.commonName ?? '';
  if (cn === '' && !request.sansDns?.length && !request.sansIp?.length && !request.sansOid?.length) {
    throw new TlsRequestError(
      'a certificate request needs a commonName or at least one subject alternative name',
    );
  }
  if (cn.length > 64) throw new TlsRequestError(`commonName is ${cn.length} characters; X.509 allows 64`);
  for (const ip of request.sansIp ?? []) {
    if (isIP(ip) === 0) throw new TlsRequestError(`sansIp: ${JSON.stringify(ip)} is not an IP address`);
  }
}

function subjectOf(request: CertificateRequest): string {
  // RFC 4514 order (most specific last reversed): the library builds the Name from this list.
  const parts: [string, string | undefined][] = [
    ['CN', request.commonName],
    ['O', request.organization],
    ['OU', request.organizationalUnit],
    ['C', request.countryName],
    ['ST', request.stateOrProvinceName],
    ['L', request.localityName],
    ['E', request.emailAddress],
  ];
  const escapeDn = (v: string) => v.replace(/([,+"\\<>;=#])/g, '\\$1');
  const out = parts.filter(([, v]) => v).map(([k, v]) => `${k}=${escapeDn(v as string)}`);
  if (request.addUniqueIdToSubjectName ?? true) out.push(`2.5.4.45=${randomUUID()}`);
  return out.join(', ');
}

/** A CSR for `request`, signed with `privateKeyPem`, as PEM. */
export async function generateCsr(request: CertificateRequest, privateKeyPem: string): Promise<string> {
  checkCertificateRequest(request);
  const lib = await x509();
  const keys = await webKeys(privateKeyPem);
  const names = [
    ...(request.sansDns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.sansIp ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(request.sansOid ?? []).map((value) => ({ type: 'id' as const, value })),
  ];
  const extensions = names.length > 0 ? [new lib.SubjectAlternativeNameExtension(names, false)] : [];
  const csr = await lib.Pkcs10CertificateRequestGenerator.create({
    name: subjectOf(request),
    keys,
    signingAlgorithm: RSA,
    extensions,
  });
  return normalizePem(csr.toString('pem'));
}

/** What a CSR asks for. */
export interface CsrInfo {
  readonly commonName: string;
  readonly sansDns: readonly string[];
  readonly sansIp: readonly string[];
  readonly organization: string | null;
  readonly hasUniqueIdentifier: boolean;
  /** The public key, SPKI DER base64. */
  readonly publicKey: string;
}

function attribute(name: { getField(key: string): string[] }, key: string): string | null {
  return name.getField(key)[0] ?? null;
}

/**
 * Reads a CSR.
 *
 * @throws {PemError} not a PEM CSR.
 */
export async function readCsr(csrPem: string): Promise<CsrInfo> {
  const lib = await x509();
  let csr: InstanceType<X509Module['Pkcs10CertificateRequest']>;
  try {
    csr = new lib.Pkcs10CertificateRequest(normalizePem(csrPem));
  } catch (error) {
    throw new PemError(`not a PEM certificate signing request: ${(error as Error).message}`);
  }
  const san = csr.getExtension(SAN_OID) as InstanceType<X509Module['SubjectAlternativeNameExtension']> | null;
  const names = san?.names.items ?? [];
  return {
    commonName: attribute(csr.subjectName, 'CN') ?? '',
    sansDns: names
      .filter((n: { type: string; value: string }) => n.type === 'dns')
      .map((n: { value: string }) => n.value),
    sansIp: names
      .filter((n: { type: string; value: string }) => n.type === 'ip')
      .map((n: { value: string }) => n.value),
    organization: attribute(csr.subjectName, 'O'),
    hasUniqueIdentifier: csr.subjectName.getField('2.5.4.45').length > 0,
    publicKey: Buffer.from(csr.publicKey.rawData).toString('base64'),
  };
}

/** Whether `csrPem` was made with `privateKeyPem`. */
export async function csrMatchesKey(csrPem: string, privateKeyPem: string): Promise<boolean> {
  const info = await readCsr(csrPem);
  const spki = createPublicKey(privateKeyObject(privateKeyPem)).export({ type: 'spki', format: 'der' });
  return info.publicKey === spki.toString('base64');
}

/** What this package reads from a certificate. */
export interface CertificateInfo {
  readonly commonName: string;
  readonly isCa: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(normalizePem(pem));
  } catch (error) {
    throw new PemError(`not a PEM certificate: ${(error as Error).message}`);
  }
}

/**
 * Reads a certificate (synchronously, with Node's X.509 parser).
 *
 * @throws {PemError} not a PEM certificate.
 */
export function readCertificate(pem: string): CertificateInfo {
  const cert = parseCertificate(pem);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  return {
    commonName: cn,
    isCa: cert.ca,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** Whether the certificate's public key is the one of `privateKeyPem`. */
export function certificateMatchesKey(certificatePem: string, privateKeyPem: string): boolean {
  return parseCertificate(certificatePem).checkPrivateKey(privateKeyObject(privateKeyPem));
}

/** Options of {@link generateCa}. */
export interface CaOptions {
  readonly commonName: string;
  readonly organization?: string;
  /** Default 365. */
  readonly validityDays?: number;
}

function randomSerial(): string {
  // 16 random bytes, the top bit cleared so the DER integer stays positive.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** A self-signed CA certificate for `caKeyPem`, as PEM. */
export async function generateCa(caKeyPem: string, options: CaOptions): Promise<string> {
  const lib = await x509();
  const keys = await webKeys(caKeyPem);
  const now = new Date();
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subjectOf({
      commonName: options.commonName,
      ...(options.organization ? { organization: options.organization } : {}),
      addUniqueIdToSubjectName: false,
    }),
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.validityDays ?? 365) * 86_400_000),
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new lib.BasicConstraintsExtension(true, undefined, true),
      new lib.KeyUsagesExtension(
        lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature,
        true,
      ),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return normalizePem(cert.toString('pem'));
}

/** Options of {@link signCsr}. */
export interface SignOptions {
  readonly caCertificate: string;
  readonly caPrivateKey: string;
  /** Default 365. */
  readonly validityDays?: number;
  /** Issue a CA certificate (for a requirer that asked for one). */
  readonly isCa?: boolean;
}

/**
 * Signs a CSR with a CA: the certificate gets the CSR's subject and subject alternative names.
 *
 * @throws {PemError} the CSR, CA certificate or CA key is not PEM.
 */
export async function signCsr(csrPem: string, options: SignOptions): Promise<string> {
  const lib = await x509();
  let csr: InstanceType<X509Module['Pkcs10CertificateRequest']>;
  let ca: InstanceType<X509Module['X509Certificate']>;
  try {
    csr = new lib.Pkcs10CertificateRequest(normalizePem(csrPem));
    ca = new lib.X509Certificate(normalizePem(options.caCertificate));
  } catch (error) {
    throw new PemError(`cannot sign: ${(error as Error).message}`);
  }
  const caKeys = await webKeys(options.caPrivateKey);
  const publicKey = await csr.publicKey.export(RSA, ['verify']);
  const san = csr.getExtension(SAN_OID) as InstanceType<X509Module['SubjectAlternativeNameExtension']> | null;
  const now = new Date();
  const usage = options.isCa
    ? lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature
    : lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment;
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: csr.subjectName,
    issuer: ca.subjectName,
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.validityDays ?? 365) * 86_400_000),
    publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new lib.BasicConstraintsExtension(options.isCa ?? false, undefined, true),
      new lib.KeyUsagesExtension(usage, true),
      ...(san ? [new lib.SubjectAlternativeNameExtension(san.names.toJSON(), false)] : []),
      await lib.SubjectKeyIdentifierExtension.create(publicKey),
      await lib.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return normalizePem(cert.toString('pem'));
}
