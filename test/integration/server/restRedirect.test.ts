import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ExchangeError } from "../../../src/server/exchange/errors";
import { createRestTransport } from "../../../src/server/exchange/restTransport";
import { createHttpClient, type HttpClient } from "../../../src/server/net/httpClient";

/**
 * A 3xx from the admin API (public clients follow its 302s, reference §3) over real HTTP: the
 * emulator has no redirect of its own, so a tiny local server stands in for the redirecting front
 * door. The backend follows one redirect on the same origin and never sends the token elsewhere.
 */
interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let origin: string;
let http: HttpClient;
let seen: Seen[];
let answer: Answer;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", authorization: req.headers.authorization, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpClient();
});
afterAll(async () => {
  http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
});

const transport = (): ReturnType<typeof createRestTransport> =>
  createRestTransport({
    exchangeUrl: origin,
    send: http.send,
    identity: { tenantId: "contoso.onmicrosoft.com", upn: "admin@contoso.com", token: () => Promise.resolve("t0k3n") },
  });

function redirect(status: number, location: string): Answer {
  return (req, res) => {
    if (req.url?.includes("moved") !== true || location.includes("again")) {
      res.writeHead(status, { location });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ value: [{ Name: "Area 1", "Name@odata.type": "#String" }] }));
  };
}

async function failure(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ExchangeError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

test.each([301, 302, 307, 308])(
  "HTTP %d to the same origin is followed once with the same body and token",
  async (status) => {
    answer = redirect(status, "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?moved=1");
    const rows = await transport().run("Get-OutboundConnector", {});
    expect(rows).toEqual([{ Name: "Area 1" }]);
    expect(seen.map((s) => s.url)).toEqual([
      "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand",
      "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?moved=1",
    ]);
    expect(new Set(seen.map((s) => s.body))).toEqual(
      new Set([JSON.stringify({ CmdletInput: { CmdletName: "Get-OutboundConnector", Parameters: {} } })]),
    );
    expect(seen.every((s) => s.authorization === "Bearer t0k3n")).toBe(true);
  },
);

test("a redirect to another host is refused (the token stays here) and is not a validation error", async () => {
  answer = redirect(302, "https://eu.exchange.example/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?moved=1");
  const err = await failure(transport().run("Get-OutboundConnector", {}));
  expect(err.code).toBe("transient");
  expect(err.message).toMatch(/redirected the call to another host \(eu\.exchange\.example\)/);
  expect(seen).toHaveLength(1);
});

test("a second redirect is not followed", async () => {
  answer = redirect(302, "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?moved=again");
  const err = await failure(transport().run("Get-OutboundConnector", {}));
  expect(err.code).toBe("transient");
  expect(err.message).toMatch(/redirected the call again/);
  expect(seen).toHaveLength(2);
});

test("an unreachable Exchange is a transient error whose text names no address or port", async () => {
  // A port nothing listens on: the socket error names 127.0.0.1 and the port.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const err = await failure(
    createRestTransport({
      exchangeUrl: `http://127.0.0.1:${port}`,
      send: http.send,
      identity: { tenantId: "contoso.onmicrosoft.com", upn: "admin@contoso.com", token: () => Promise.resolve("t") },
    }).run("Get-OutboundConnector", {}),
  );
  expect(err.code).toBe("transient");
  expect(err.message).toBe("Get-OutboundConnector: Exchange Online could not be reached; try again shortly.");
  expect(String((err.cause as Error).message)).toContain(String(port));
});
