import net from "node:net";

/**
 * Makes any network use fail loudly during a test file: global fetch throws, and so does opening a socket
 * (covers node-fetch/http too). `attempts()` lists what was tried, so tests can assert nothing was.
 */
export function blockNetwork(): { attempts: () => string[]; restore: () => void } {
  const attempts: string[] = [];
  const originalFetch = globalThis.fetch;
  const originalConnect = net.Socket.prototype.connect;
  globalThis.fetch = (input: string | URL | Request): Promise<Response> => {
    attempts.push(`fetch ${input instanceof Request ? input.url : String(input)}`);
    throw new Error("network is blocked in this test");
  };
  net.Socket.prototype.connect = function blockedConnect(): never {
    attempts.push("socket connect");
    throw new Error("network is blocked in this test");
  };
  return {
    attempts: () => [...attempts],
    restore: () => {
      globalThis.fetch = originalFetch;
      net.Socket.prototype.connect = originalConnect;
    },
  };
}
