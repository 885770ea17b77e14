import { buildConfig, ConfigError, DEFAULTS, loadConfigFile } from "../../../src/server/config";

const required = { JA_CLIENT_ID: "11111111-2222-3333-4444-555555555555", JA_CLIENT_SECRET: "s3cret" };

test("each default is pinned: the real Microsoft endpoints and documented limits", () => {
  const cfg = buildConfig(required);
  expect(cfg).toMatchObject({
    port: 3001,
    host: "127.0.0.1",
    authorityHost: "https://login.microsoftonline.com",
    exchangeUrl: "https://outlook.office365.com",
    exchangeResource: "https://outlook.office365.com",
    graphUrl: "https://graph.microsoft.com",
    graphResource: "https://graph.microsoft.com",
    apiScope: "access_as_user",
    apiAudience: "api://11111111-2222-3333-4444-555555555555",
    allowedTenants: null,
    paneOrigin: null,
    dataDir: ".data/backend",
    caFile: null,
    caPem: null,
    tlsCertFile: null,
    tlsKeyFile: null,
    exchangeTransport: "rest",
    exchangeConcurrencyPerTenant: 9,
    runParallelism: 4,
    messageTraceTtlSeconds: 120,
    replicationWaitSeconds: 120,
    maxBodyBytes: 1024 * 1024,
    logLevel: "info",
    knownAuthorities: [],
  });
  expect(DEFAULTS.authorityHost).toBe("https://login.microsoftonline.com");
});

test("JA_ variables override the file, and flags override both", () => {
  const cfg = buildConfig(
    {
      ...required,
      JA_PORT: "8080",
      JA_ALLOWED_TENANTS: "AAAAAAAA-0000-0000-0000-000000000001, aaaaaaaa-0000-0000-0000-000000000002",
    },
    {
      file: { port: 9000, logLevel: "debug", paneOrigin: "https://pane.example:3000/path" },
      overrides: { logLevel: "warn" },
    },
  );
  expect(cfg.port).toBe(8080);
  expect(cfg.logLevel).toBe("warn");
  expect(cfg.paneOrigin).toBe("https://pane.example:3000");
  expect(cfg.allowedTenants).toEqual(["aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002"]);
});

test("an authority that is not Microsoft's is declared to MSAL as known", () => {
  const cfg = buildConfig({ ...required, JA_AUTHORITY_HOST: "https://localhost:4443/" });
  expect(cfg.authorityHost).toBe("https://localhost:4443");
  expect(cfg.knownAuthorities).toEqual(["localhost:4443"]);
});

test("every problem is reported at once, naming the variable", () => {
  let error: ConfigError | undefined;
  try {
    buildConfig({ JA_CLIENT_ID: "not-a-guid", JA_EXCHANGE_URL: "http://outlook.office365.com", JA_PORT: "70000" });
  } catch (err) {
    error = err as ConfigError;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect(error?.code).toBe("invalid_config");
  const paths = error?.errors.map((e) => e.path) ?? [];
  expect(paths).toEqual(
    expect.arrayContaining([
      "clientId (JA_CLIENT_ID)",
      "clientSecret (JA_CLIENT_SECRET)",
      "exchangeUrl (JA_EXCHANGE_URL)",
      "port (JA_PORT)",
    ]),
  );
});

test("a CA file must be readable PEM; TLS needs both cert and key", () => {
  expect(() =>
    buildConfig(
      { ...required, JA_CA_FILE: "/nope.pem" },
      {
        readFile: () => {
          throw new Error("ENOENT");
        },
      },
    ),
  ).toThrow(/caFile \(JA_CA_FILE\): cannot read/);
  const pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  expect(buildConfig({ ...required, JA_CA_FILE: "/ca.pem" }, { readFile: () => pem }).caPem).toBe(pem);
  expect(() => buildConfig({ ...required, JA_TLS_CERT_FILE: "/c.pem" })).toThrow(/give both or neither/);
});

test("a config file with unknown keys or bad JSON is refused", () => {
  expect(() => loadConfigFile("x.json", () => "{")).toThrow(/not valid JSON/);
  expect(() => loadConfigFile("x.json", () => JSON.stringify({ prot: 1 }))).toThrow(ConfigError);
  expect(loadConfigFile("x.json", () => JSON.stringify({ port: 1234 }))).toEqual({ port: 1234 });
});
