import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AppRegistration } from "../directory/apps";
import { stableGuid } from "../ids";
import { ensureSelfSignedPair } from "./selfSignedPair";

/**
 * Certificate credentials of app registrations (the application's `keyCredentials`, Graph
 * keyCredential resource: https://learn.microsoft.com/graph/api/resources/keycredential — type
 * "AsymmetricX509Cert", usage "Verify", keyId, customKeyIdentifier = the SHA-1 thumbprint,
 * startDateTime/endDateTime = the certificate's validity). Entra keeps only the public part; the
 * emulator also keeps the private key in its data folder so a demo or a test can sign client
 * assertions with it (`--print-config` names the files). Made on first start, then reused, so
 * a client configured once keeps working across restarts.
 */
export interface KeyCredential {
  readonly keyId: string;
  readonly type: "AsymmetricX509Cert";
  readonly usage: "Verify";
  readonly displayName: string;
  /** Uppercase hex SHA-1 of the DER certificate (what the portal and `x5t` show). */
  readonly customKeyIdentifier: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  /** Base64 DER of the certificate. */
  readonly key: string;
}

export interface AppCertificate {
  readonly credential: KeyCredential;
  readonly publicKey: KeyObject;
  /** Uppercase hex thumbprints (SHA-1 and SHA-256 of the DER certificate). */
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly certificatePath: string;
  readonly privateKeyPath: string;
}

/** appId -> its certificates. */
export type AppCertificates = ReadonlyMap<string, readonly AppCertificate[]>;

/** Creates (first start) or loads the certificate of every app registration that declares one. */
export function ensureAppCertificates(dataDir: string, apps: readonly AppRegistration[]): AppCertificates {
  const out = new Map<string, AppCertificate[]>();
  for (const app of apps) {
    if (app.certificate === undefined) continue;
    out.set(app.appId, [ensureAppCertificate(dataDir, app.certificate, app.appId)]);
  }
  return out;
}

function ensureAppCertificate(dataDir: string, name: string, appId: string): AppCertificate {
  const dir = resolve(dataDir);
  const certificatePath = join(dir, `app-${name}-cert.pem`);
  const privateKeyPath = join(dir, `app-${name}-key.pem`);
  ensureSelfSignedPair({
    keyPath: privateKeyPath,
    certPath: certificatePath,
    // PKCS#8: what msal-node's `clientCertificate.privateKey` and Node's crypto read as is.
    keyFormat: "pkcs8",
    commonName: `journaling-assistant-${name}`,
    validYears: 2,
  });
  const cert = new X509Certificate(readFileSync(certificatePath));
  const der = cert.raw;
  const thumbprint = createHash("sha1").update(der).digest("hex").toUpperCase();
  const thumbprintSha256 = createHash("sha256").update(der).digest("hex").toUpperCase();
  // Fail at start-up, not at the first assertion, if the pair on disk does not belong together.
  if (!cert.checkPrivateKey(createPrivateKey(readFileSync(privateKeyPath, "utf8")))) {
    throw new Error(`${privateKeyPath} is not the key of ${certificatePath}; delete both to make a new pair.`);
  }
  return {
    credential: {
      keyId: stableGuid(`keyCredential/${appId}/${thumbprint}`),
      type: "AsymmetricX509Cert",
      usage: "Verify",
      displayName: cert.subject.replace(/\n/g, ", "),
      customKeyIdentifier: thumbprint,
      startDateTime: new Date(cert.validFrom).toISOString(),
      endDateTime: new Date(cert.validTo).toISOString(),
      key: der.toString("base64"),
    },
    publicKey: cert.publicKey,
    thumbprint,
    thumbprintSha256,
    certificatePath,
    privateKeyPath,
  };
}
