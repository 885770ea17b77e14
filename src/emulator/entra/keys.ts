import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureSelfSignedPair } from "./selfSignedPair";

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
  ensureSelfSignedPair({ keyPath, certPath, keyFormat: "pkcs1", commonName: "accounts.emulator.local", validYears: 5 });
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
