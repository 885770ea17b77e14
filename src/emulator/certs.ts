import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import forge from "node-forge";

/**
 * The emulator's TLS material: a self-signed CA made on first start and a localhost server
 * certificate signed by it. MSAL and Office refuse http authorities, so the emulator must be https;
 * browsers and Node trust it by the CA file (NODE_EXTRA_CA_CERTS, or `ca` on an https agent).
 */

export interface EmulatorCertificates {
  /** Path of the CA certificate (PEM) to trust. */
  caPath: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export const DEFAULT_DATA_DIR = join(".data", "emulator");

const CA_FILE = "ca.pem";
const CA_KEY_FILE = "ca-key.pem";
const SERVER_CERT_FILE = "server.pem";
const SERVER_KEY_FILE = "server-key.pem";

/** Loads the certificates from dataDir, creating them on first use. */
export function ensureCertificates(dataDir: string = DEFAULT_DATA_DIR): EmulatorCertificates {
  const dir = resolve(dataDir);
  const paths = {
    ca: join(dir, CA_FILE),
    caKey: join(dir, CA_KEY_FILE),
    cert: join(dir, SERVER_CERT_FILE),
    key: join(dir, SERVER_KEY_FILE),
  };
  if (![paths.ca, paths.caKey, paths.cert, paths.key].every((p) => existsSync(p))) {
    mkdirSync(dir, { recursive: true });
    const made = createCertificates();
    writeFileSync(paths.ca, made.caPem);
    writeFileSync(paths.caKey, made.caKeyPem, { mode: 0o600 });
    writeFileSync(paths.cert, made.serverCertPem);
    writeFileSync(paths.key, made.serverKeyPem, { mode: 0o600 });
  }
  return {
    caPath: paths.ca,
    caPem: readFileSync(paths.ca, "utf8"),
    serverCertPem: readFileSync(paths.cert, "utf8"),
    serverKeyPem: readFileSync(paths.key, "utf8"),
  };
}

/** Node's RSA generation is native and fast; forge only builds and signs the certificates. */
function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function serialNumber(): string {
  // Positive (high bit clear) 16-byte serial, as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function createCertificates(): { caPem: string; caKeyPem: string; serverCertPem: string; serverKeyPem: string } {
  const now = new Date();
  const caKeys = rsaKeyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  ca.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  ca.validity.notAfter = new Date(now.getTime() + 5 * 365 * 24 * 3600 * 1000);
  const caSubject = [
    { name: "commonName", value: "Journaling Assistant Emulator Local CA" },
    { name: "organizationName", value: "Journaling Assistant (local emulator)" },
  ];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const server = issueServerCertificate(ca, caKeys.privateKey, LOCALHOST_NAMES);

  return {
    caPem: forge.pki.certificateToPem(ca),
    caKeyPem: caKeys.pem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
  };
}

/** The names of the localhost certificate (and of the public-hosts one, beside Microsoft's names). */
const LOCALHOST_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** A server (leaf) certificate for these DNS names and IP addresses, signed by the emulator's CA. */
function issueServerCertificate(
  ca: forge.pki.Certificate,
  caKey: forge.pki.rsa.PrivateKey,
  names: readonly string[],
): { certPem: string; keyPem: string } {
  const now = new Date();
  const serverKeys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = serverKeys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  // Browsers reject leaf certificates valid for more than 398 days.
  cert.validity.notAfter = new Date(now.getTime() + 397 * 24 * 3600 * 1000);
  cert.setSubject([{ name: "commonName", value: names[0] ?? "localhost" }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: names.map((n) => (isIpAddress(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: serverKeys.pem };
}

function isIpAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":");
}

const PUBLIC_CERT_FILE = "public-hosts.pem";
const PUBLIC_KEY_FILE = "public-hosts-key.pem";

/**
 * The public-hosts mode's server certificate: Microsoft's host names plus the localhost names, signed
 * by the same CA (so trusting ca.pem once covers both modes). Kept in its own files: the default
 * mode's localhost certificate stays as it was, and a certificate naming Microsoft's hosts exists
 * only on machines that asked for the mode. Made again when a name is missing or it is about to expire.
 */
export function ensurePublicHostsCertificate(
  dataDir: string,
  hostNames: readonly string[],
): { certPem: string; keyPem: string } {
  const dir = resolve(dataDir);
  ensureCertificates(dir);
  const certPath = join(dir, PUBLIC_CERT_FILE);
  const keyPath = join(dir, PUBLIC_KEY_FILE);
  const names = [...hostNames, ...LOCALHOST_NAMES];
  if (existsSync(certPath) && existsSync(keyPath) && coversNames(readFileSync(certPath, "utf8"), names)) {
    return { certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
  }
  const ca = forge.pki.certificateFromPem(readFileSync(join(dir, CA_FILE), "utf8"));
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dir, CA_KEY_FILE), "utf8"));
  const made = issueServerCertificate(ca, caKey, names);
  writeFileSync(certPath, made.certPem);
  writeFileSync(keyPath, made.keyPem, { mode: 0o600 });
  return made;
}

/** Whether a stored certificate names all of these hosts and stays valid for at least a week. */
function coversNames(certPem: string, names: readonly string[]): boolean {
  try {
    const cert = forge.pki.certificateFromPem(certPem);
    if (cert.validity.notAfter.getTime() < Date.now() + 7 * 24 * 3600 * 1000) return false;
    const san = cert.getExtension("subjectAltName") as { altNames?: { type: number; value?: string }[] } | null;
    // DNS names only (type 2): forge writes IP addresses back in its own notation.
    const present = new Set(
      (san?.altNames ?? []).filter((a) => a.type === 2).map((a) => (a.value ?? "").toLowerCase()),
    );
    return names.filter((n) => !isIpAddress(n)).every((n) => present.has(n.toLowerCase()));
  } catch {
    return false;
  }
}
