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
    paneDist: null,
    paneClientId: null,
    pane: null,
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

describe("serving the pane (JA_PANE_DIST)", () => {
  const clientId = required.JA_CLIENT_ID;
  const production = {
    ...required,
    JA_PANE_DIST: "dist/pane",
    JA_PANE_ORIGIN: "https://journaling.contoso.example",
    JA_API_AUDIENCE: `api://journaling.contoso.example/${clientId}`,
  };

  test("each default is pinned: one Entra app, Microsoft's endpoints, the API on the pane's own origin", () => {
    const cfg = buildConfig(production);
    expect(cfg.pane).toEqual({
      distDir: "dist/pane",
      runtime: {
        authority: "https://login.microsoftonline.com/organizations",
        clientId,
        knownAuthorities: [],
        graphBaseUrl: "https://graph.microsoft.com",
        backendUrl: "https://journaling.contoso.example",
        apiScope: `api://journaling.contoso.example/${clientId}/access_as_user`,
      },
    });
    expect(DEFAULTS.paneAuthorityTenant).toBe("organizations");
  });

  test("without JA_API_AUDIENCE the scope is built on api://<clientId>", () => {
    const { JA_API_AUDIENCE: _ignored, ...env } = production;
    expect(buildConfig(env).pane?.runtime.apiScope).toBe(`api://${clientId}/access_as_user`);
  });

  test("the pane's settings follow the backend's: client id, authority host, Graph, scope name, single tenant", () => {
    const paneClientId = "66666666-7777-8888-9999-000000000000";
    const tenant = "58bcf7ff-e000-52e5-b108-402f9434063e";
    const cfg = buildConfig({
      ...production,
      JA_PANE_CLIENT_ID: paneClientId,
      JA_AUTHORITY_HOST: "https://localhost:4443/",
      JA_GRAPH_URL: "https://graph.example/",
      JA_API_SCOPE: "Journaling.Manage",
      JA_ALLOWED_TENANTS: tenant.toUpperCase(),
      JA_PANE_ORIGIN: "https://journaling.contoso.example:8443/ignored/path",
    });
    expect(cfg.pane?.runtime).toEqual({
      // A single-tenant app registration refuses /organizations (AADSTS50194): the one allowed tenant instead.
      authority: `https://localhost:4443/${tenant}`,
      clientId: paneClientId,
      // Not a Microsoft host: MSAL must be told to trust it.
      knownAuthorities: ["localhost:4443"],
      graphBaseUrl: "https://graph.example",
      backendUrl: "https://journaling.contoso.example:8443",
      apiScope: `api://journaling.contoso.example/${clientId}/Journaling.Manage`,
    });
  });

  test("knownAuthorities stays empty for Microsoft's other clouds", () => {
    const cfg = buildConfig({ ...production, JA_AUTHORITY_HOST: "https://login.microsoftonline.us" });
    expect(cfg.pane?.runtime).toMatchObject({
      authority: "https://login.microsoftonline.us/organizations",
      knownAuthorities: [],
    });
  });

  test("the file key paneDist and the --pane-dist override work like the variable", () => {
    const env = { ...required, JA_PANE_ORIGIN: "https://journaling.contoso.example" };
    expect(buildConfig(env, { file: { paneDist: "/srv/pane" } }).pane?.distDir).toBe("/srv/pane");
    expect(
      buildConfig({ ...env, JA_PANE_DIST: "/srv/pane" }, { overrides: { paneDist: "/opt/pane" } }).pane?.distDir,
    ).toBe("/opt/pane");
    expect(loadConfigFile("x.json", () => JSON.stringify({ paneDist: "d", paneClientId: clientId }))).toEqual({
      paneDist: "d",
      paneClientId: clientId,
    });
  });

  test("errors name the variable: a public https origin is required, the pane client id is a GUID", () => {
    const paths = (env: NodeJS.ProcessEnv): string[] => {
      try {
        buildConfig(env);
      } catch (err) {
        return (err as ConfigError).errors.map((e) => `${e.path}: ${e.message}`);
      }
      return [];
    };
    const { JA_PANE_ORIGIN: _origin, ...noOrigin } = production;
    expect(paths(noOrigin)).toEqual([
      expect.stringMatching(/^paneOrigin \(JA_PANE_ORIGIN\): is required when the pane/),
    ]);
    expect(paths({ ...production, JA_PANE_ORIGIN: "http://journaling.contoso.example" })).toEqual([
      expect.stringMatching(/^paneOrigin \(JA_PANE_ORIGIN\): must be https:\/\//),
    ]);
    expect(paths({ ...production, JA_PANE_CLIENT_ID: "pane" })).toEqual([
      expect.stringMatching(/^paneClientId \(JA_PANE_CLIENT_ID\): must be the pane's app registration client id/),
    ]);
  });

  test("without JA_PANE_DIST nothing of the pane is served, whatever else is set", () => {
    const { JA_PANE_DIST: _dist, ...env } = production;
    expect(buildConfig({ ...env, JA_PANE_CLIENT_ID: clientId }).pane).toBeNull();
  });
});
