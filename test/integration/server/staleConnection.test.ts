import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createHttpClient, NetworkError, type HttpClient } from "../../../src/server/net/httpClient";

/**
 * A kept-alive connection the server drops as the next request arrives on it (its idle timeout, a
 * restart): an idempotent request is sent once more on a new connection; any other fails, because the
 * server may have acted on it.
 */
let server: Server;
let base: string;
let client: HttpClient;
const seen = new WeakSet<Socket>();
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    // The second request on a connection finds it closed: reset, no answer.
    if (seen.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    seen.add(req.socket);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${requests}`));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  client = createHttpClient();
});
afterEach(() => client.close());
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

test("a GET that meets a dropped kept-alive connection is sent again on a new one", async () => {
  expect((await client.send({ method: "GET", url: `${base}/a` })).status).toBe(200);
  const second = await client.send({ method: "GET", url: `${base}/b` });
  expect(second.status).toBe(200);
  expect(second.text).toMatch(/^ok /);
});

test("a token request (idempotent) is sent again; a POST that changes something is not", async () => {
  expect((await client.send({ method: "GET", url: `${base}/a` })).status).toBe(200);
  const token = await client.send({ method: "POST", url: `${base}/token`, body: "grant_type=x", idempotent: true });
  expect(token.status).toBe(200);

  expect((await client.send({ method: "GET", url: `${base}/a` })).status).toBe(200);
  const change = client.send({ method: "POST", url: `${base}/adminapi/beta/x/InvokeCommand`, body: "{}" });
  await expect(change).rejects.toBeInstanceOf(NetworkError);
});
