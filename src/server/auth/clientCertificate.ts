import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

/** A PEM file that is not a usable client certificate: the message names the file and the problem. */
export class ClientCertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientCertificateError";
  }
}

/**
 * The certificate and private key of one PEM file (JA_CLIENT_CERTIFICATE), as msal-node's
 * clientCertificate takes them: the client assertion (a JWT signed with the key, x5t#S256 and x5c in
 * its header) replaces the client secret, as Microsoft recommends for app-only sign-in
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export function readClientCertificate(pemFile: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  let pem: string;
  try {
    pem = readFileSync(pemFile, "utf8");
  } catch (err) {
    throw new ClientCertificateError(
      `cannot read JA_CLIENT_CERTIFICATE ${pemFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem =
    /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.exec(
      pem,
    )?.[0];
  if (certPem === undefined || keyPem === undefined) {
    throw new ClientCertificateError(
      `JA_CLIENT_CERTIFICATE ${pemFile} must hold the certificate and its private key (PEM: BEGIN CERTIFICATE and BEGIN PRIVATE KEY)`,
    );
  }
  let cert: X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    cert = new X509Certificate(certPem);
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new ClientCertificateError(`JA_CLIENT_CERTIFICATE ${pemFile}: ${(err as Error).message}`);
  }
  if (!cert.checkPrivateKey(key)) {
    throw new ClientCertificateError(
      `JA_CLIENT_CERTIFICATE ${pemFile}: the private key does not belong to the certificate`,
    );
  }
  return {
    thumbprintSha256: createHash("sha256").update(cert.raw).digest("hex").toUpperCase(),
    // msal-node signs with a PKCS#8 key ("BEGIN PRIVATE KEY"); an RSA PKCS#1 key is converted.
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    x5c: cert.raw.toString("base64"),
  };
}
