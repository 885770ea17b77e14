import { parseEmulatorArgs, publicHostsText } from "../../../src/cli/emulator";
import { buildEmulatorConfig } from "../../../src/emulator/config";
import { askedService, hostsFileLines, resolveEmulatorPort, serviceOfHost } from "../../../src/emulator/publicHosts";
import { DEFAULT_PORT } from "../../../src/emulator/server";
import { publicHostsConnectTo } from "../../../src/stack/startStack";

describe("--public-hosts option resolution", () => {
  test("listens on 443 by default in public-hosts mode; --port still wins; 4443 otherwise", () => {
    const publicMode = parseEmulatorArgs(["--public-hosts"]);
    expect(publicMode).toMatchObject({ ok: true, options: { publicHosts: true } });
    if (!publicMode.ok) throw new Error(publicMode.message);
    expect(resolveEmulatorPort(publicMode.options, DEFAULT_PORT)).toBe(443);

    const withPort = parseEmulatorArgs(["--public-hosts", "--port", "8443"]);
    if (!withPort.ok) throw new Error(withPort.message);
    expect(resolveEmulatorPort(withPort.options, DEFAULT_PORT)).toBe(8443);

    const random = parseEmulatorArgs(["--public-hosts", "--port", "0"]);
    if (!random.ok) throw new Error(random.message);
    expect(resolveEmulatorPort(random.options, DEFAULT_PORT)).toBe(0);

    const localMode = parseEmulatorArgs([]);
    if (!localMode.ok) throw new Error(localMode.message);
    expect(localMode.options.publicHosts).toBeUndefined();
    expect(resolveEmulatorPort(localMode.options, DEFAULT_PORT)).toBe(4443);
  });
});

describe("which service a host asks for", () => {
  test("login, graph and outlook names map to their services; other names get the whole local emulator", () => {
    expect(serviceOfHost("LOGIN.windows.net")).toBe("login");
    expect(serviceOfHost("sts.windows.net")).toBe("login");
    expect(serviceOfHost("graph.microsoft.com.")).toBe("graph");
    expect(serviceOfHost("outlook.office.com")).toBe("exchange");
    expect(serviceOfHost("graph.microsoft.com.evil.example")).toBeUndefined();
    const local = "https://localhost:4443";
    expect(askedService(true, local, "graph.microsoft.com", undefined)).toEqual({
      origin: "https://graph.microsoft.com",
      service: "graph",
    });
    // The default port is not written; another port is kept, as the client wrote it.
    expect(askedService(true, local, "login.microsoftonline.com:443", undefined).origin).toBe(
      "https://login.microsoftonline.com",
    );
    expect(askedService(true, local, "login.microsoftonline.com:8443", undefined).origin).toBe(
      "https://login.microsoftonline.com:8443",
    );
    expect(askedService(true, local, undefined, "outlook.office365.com").service).toBe("exchange");
    expect(askedService(true, local, "localhost:4443", "localhost")).toEqual({ origin: local, service: "local" });
    // Default mode: the Host header changes nothing.
    expect(askedService(false, local, "graph.microsoft.com", "graph.microsoft.com")).toEqual({
      origin: local,
      service: "local",
    });
  });

  test("the stack's backend reaches Microsoft's names on port 443 at the emulator, nothing else", () => {
    const connectTo = publicHostsConnectTo({ origin: "https://localhost:53123" });
    expect(connectTo("graph.microsoft.com", 443)).toEqual({ host: "127.0.0.1", port: 53123 });
    expect(connectTo("login.microsoftonline.com", 443)).toEqual({ host: "127.0.0.1", port: 53123 });
    expect(connectTo("graph.microsoft.com", 8443)).toBeUndefined();
    expect(connectTo("example.com", 443)).toBeUndefined();
  });
});

describe("--print-config in public-hosts mode", () => {
  test("names Microsoft's URLs, the hosts-file lines and NODE_EXTRA_CA_CERTS", () => {
    const config = buildEmulatorConfig("https://localhost", "/data/ca.pem", [], undefined, { port: 443 });
    expect(config.endpoints).toEqual({
      login: "https://login.microsoftonline.com",
      graph: "https://graph.microsoft.com/v1.0",
      exchange: "https://outlook.office365.com/adminapi/beta",
    });
    expect(config.publicHosts?.hostsFile).toEqual(hostsFileLines());
    expect(hostsFileLines()).toEqual([
      "127.0.0.1 login.microsoftonline.com",
      "127.0.0.1 login.windows.net",
      "127.0.0.1 login.microsoft.com",
      "127.0.0.1 sts.windows.net",
      "127.0.0.1 graph.microsoft.com",
      "127.0.0.1 outlook.office365.com",
      "127.0.0.1 outlook.office.com",
    ]);
    const text = publicHostsText(config);
    expect(text).toContain("127.0.0.1 graph.microsoft.com");
    expect(text).toContain("NODE_EXTRA_CA_CERTS=/data/ca.pem");
    expect(text).toContain("JA_CA_FILE=/data/ca.pem");
    expect(text).not.toContain("forward 443");
    expect(
      publicHostsText(buildEmulatorConfig("https://localhost:8443", "/ca.pem", [], undefined, { port: 8443 })),
    ).toContain("forward 443 to 8443");
    // Default mode: no public-hosts section, endpoints on the local origin.
    const local = buildEmulatorConfig("https://localhost:4443", "/ca.pem", []);
    expect(local.publicHosts).toBeUndefined();
    expect(local.endpoints.graph).toBe("https://localhost:4443/v1.0");
  });
});
