import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import forge from "node-forge";

/**
 * The token signing key, persisted in the data folder so tokens stay valid across restarts
 * (a backend that cached the JWKS keeps working). Published like Entra's: an RSA key in a
 * self-signed certificate, kid = x5t = base64url SHA-1 thumbprint of the certificate.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWKS entry. */
  jwk: { kty: "RSA"; use: "sig"; kid: string; x5t: string; n: string; e: string; x5c: string[]; issuer?: string };
}

const KEY_FILE = "signing-key.pem";
const CERT_FILE = "signing-cert.pem";

export function ensureSigningKey(dataDir: string): SigningKey {
  const dir = resolve(dataDir);
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    writeFileSync(keyPath, keyPem, { mode: 0o600 });
    writeFileSync(certPath, selfSignedCertificate(keyPem));
  }
  const privateKey = createPrivateKey(readFileSync(keyPath, "utf8"));
  const publicKey = createPublicKey(privateKey);
  const certPem = readFileSync(certPath, "utf8");
  const der = Buffer.from(certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""), "base64");
  const x5t = createHash("sha1").update(der).digest("base64url");
  const exported = publicKey.export({ format: "jwk" });
  return {
    kid: x5t,
    privateKey,
    publicKey,
    jwk: {
      kty: "RSA",
      use: "sig",
      kid: x5t,
      x5t,
      n: String(exported.n),
      e: String(exported.e),
      x5c: [der.toString("base64")],
    },
  };
}

function selfSignedCertificate(keyPem: string): string {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01" + Date.now().toString(16);
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000);
  const subject = [{ name: "commonName", value: "accounts.emulator.local" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
