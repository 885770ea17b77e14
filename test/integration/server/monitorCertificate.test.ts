import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "./harness";

/**
 * The monitor's app-only identity signs in with the app's certificate when JA_CLIENT_CERTIFICATE is
 * set (a client assertion, as the CLI's app-only mode does), not with the secret: with a wrong secret
 * and the right certificate Entra still issues its token; with the wrong secret alone it refuses.
 */
const ADMIN = "admin@contoso.com";

async function identityOf(stack: Stack): Promise<{ state: string; text: string }> {
  const r = await stack.api("GET", "/api/monitor", await stack.token(ADMIN));
  expect(r.status).toBe(200);
  return r.json.identity as { state: string; text: string };
}

test("with a certificate the monitor's identity gets its token even though the secret is wrong", async () => {
  // One data folder for both stacks: the emulator keeps the app's certificate there.
  const dataDir = mkdtempSync(join(tmpdir(), "ja-monitor-cert-"));
  const plain = await startStack({ dataDir, config: { clientSecret: "not-the-secret" } });
  let pemFile: string;
  try {
    // The wrong secret alone: Entra refuses the app's credential, which consent would not fix.
    const refused = await identityOf(plain);
    expect(refused.state).toBe("unavailable");
    expect(refused.text).toMatch(/AADSTS7000215/);
    const cert = plain.emulator.config.apps.api.certificate!;
    pemFile = join(dataDir, "api.pem");
    writeFileSync(pemFile, readFileSync(cert.certificatePath, "utf8") + readFileSync(cert.privateKeyPath, "utf8"));
  } finally {
    await plain.close();
  }
  const withCert = await startStack({
    dataDir,
    config: { clientSecret: "not-the-secret", clientCertificate: pemFile },
  });
  try {
    // A token came back (signed-in with the certificate); it carries no roles until an admin consents.
    const id = await identityOf(withCert);
    expect(id).toMatchObject({ state: "needsConsent" });
  } finally {
    await withCert.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
