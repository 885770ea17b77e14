import { createBackendClient } from "../../src/services/backend/backendClient";
import type { RunEvent } from "../../src/services/backend/types";

describe("backend client event stream", () => {
  it("sends Last-Event-ID and passes each event's id on", async () => {
    const seen: Headers[] = [];
    const body = 'id: 3\nevent: action-started\ndata: {"runId":"r1","actionId":"a1","attempt":1,"at":"t"}\n\n';
    const client = createBackendClient({
      baseUrl: "https://backend.test",
      getToken: () => Promise.resolve("token"),
      fetchImpl: (_url, init) => {
        seen.push(new Headers(init?.headers));
        return Promise.resolve(
          new Response(new Blob([body]).stream(), { status: 200, headers: { "content-type": "text/event-stream" } }),
        );
      },
    });
    const events: RunEvent[] = [];
    let opened = false;
    await client.runEvents("r1", (e) => events.push(e), new AbortController().signal, {
      lastEventId: "2",
      onOpen: () => (opened = true),
    });
    expect(seen[0]!.get("last-event-id")).toBe("2");
    expect(opened).toBe(true);
    expect(events).toEqual([{ id: "3", type: "action-started", runId: "r1", actionId: "a1", attempt: 1, at: "t" }]);
  });
});
