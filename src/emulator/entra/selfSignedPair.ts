import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import forge from "node-forge";

/** Where a key pair lives in the data folder, and what its certificate says. */
export interface SelfSignedPairSpec {
  readonly keyPath: string;
  readonly certPath: string;
  /**
   * PEM encoding of the private key: PKCS#8 for app certificates (msal-node reads it as is), PKCS#1 for the
   * signing key (as it has always been written, so files from earlier starts read the same).
   */
  readonly keyFormat: "pkcs1" | "pkcs8";
  readonly commonName: string;
  readonly validYears: number;
}

/**
 * Makes a 2048-bit RSA key and a self-signed certificate for it unless both files exist (first start),
 * then leaves them alone, so a client given them once keeps working across restarts. Shared by the token
 * signing key (keys.ts) and the app registrations' certificate credentials (appCertificates.ts).
 */
export function ensureSelfSignedPair(spec: SelfSignedPairSpec): void {
  if (existsSync(spec.keyPath) && existsSync(spec.certPath)) return;
  mkdirSync(dirname(spec.keyPath), { recursive: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: spec.keyFormat, format: "pem" }).toString();
  writeFileSync(spec.keyPath, keyPem, { mode: 0o600 });
  writeFileSync(spec.certPath, selfSignedCertificate(keyPem, spec.commonName, spec.validYears));
}

/** A self-signed certificate, as `New-SelfSignedCertificate` or the portal's upload would hold. */
function selfSignedCertificate(keyPem: string, commonName: string, validYears: number): string {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01" + Date.now().toString(16);
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + validYears * 365 * 24 * 3600 * 1000);
  const subject = [{ name: "commonName", value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
