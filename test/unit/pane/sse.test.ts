/** The pane's event-stream reader: the same events however the network splits the bytes. */
import { isDeepStrictEqual } from "node:util";
import { readEventStream, type ServerSentEvent } from "../../../src/services/backend/sse";

/**
 * A run's stream as the backend writes it (src/server/http/routes.ts: `id:`, `event:`, `data:`, `: keep-alive`),
 * plus what other servers and proxies send: multi-line and empty `data:`, CRLF line endings, an event without
 * a name, a block without data, non-ASCII text (multi-byte UTF-8 that a split can cut in two) and an
 * unterminated last event, which the spec says to drop.
 */
const RECORDED = [
  ": keep-alive\n\n",
  'id: 1\nevent: run-started\ndata: {"runId":"r1","at":"2025-05-01T10:00:00.000Z"}\n\n',
  ": keep-alive\n\n",
  'id: 2\nevent: action-started\ndata: {"runId":"r1","actionId":"a1","attempt":1}\n\n',
  "id: 3\nevent: action-log\ndata: line one\ndata: Zoë’s mailbox ✓ — 日本\ndata:\ndata:  one leading space kept\n\n",
  "data: no name and no id: the message type and id 3 still\n\n",
  ": keep-alive\n\n",
  "event: dropped-without-data\n\n",
  ': comment between lines\r\nid: 4\r\nevent: run-finished\r\ndata: {"ok":true}\r\n\r\n',
  "retry: 5000\nid:5\nevent:action-log\ndata:no space after the colons\n\n",
  "id: 6\nevent: run-finished\ndata: never terminated",
].join("");

const EXPECTED: ServerSentEvent[] = [
  { id: "1", event: "run-started", data: '{"runId":"r1","at":"2025-05-01T10:00:00.000Z"}' },
  { id: "2", event: "action-started", data: '{"runId":"r1","actionId":"a1","attempt":1}' },
  { id: "3", event: "action-log", data: "line one\nZoë’s mailbox ✓ — 日本\n\n one leading space kept" },
  { id: "3", event: "message", data: "no name and no id: the message type and id 3 still" },
  { id: "4", event: "run-finished", data: '{"ok":true}' },
  { id: "5", event: "action-log", data: "no space after the colons" },
];

const BYTES = new TextEncoder().encode(RECORDED);

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

async function parse(chunks: readonly Uint8Array[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  await readEventStream(streamOf(chunks), (e) => events.push(e), new AbortController().signal);
  return events;
}

describe("event stream parsing", () => {
  it("reads the recorded stream in one chunk", async () => {
    expect(BYTES.length).toBeGreaterThan(RECORDED.length); // the multi-byte characters are there
    expect(await parse([BYTES])).toEqual(EXPECTED);
  });

  it("gives the same events when the stream is split at every byte boundary", async () => {
    const differing: number[] = [];
    for (let at = 0; at <= BYTES.length; at++) {
      const events = await parse([BYTES.subarray(0, at), BYTES.subarray(at)]);
      if (!isDeepStrictEqual(events, EXPECTED)) differing.push(at);
    }
    expect(differing).toEqual([]);
  });

  it("gives the same events when the stream arrives one byte at a time", async () => {
    const oneByteChunks = Array.from(BYTES, (_, i) => BYTES.subarray(i, i + 1));
    expect(await parse(oneByteChunks)).toEqual(EXPECTED);
  });

  it("stops reading when the signal aborts", async () => {
    const controller = new AbortController();
    const events: ServerSentEvent[] = [];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("id: 1\nevent: run-started\ndata: {}\n\n"));
      },
    });
    const reading = readEventStream(
      body,
      (e) => {
        events.push(e);
        controller.abort();
      },
      controller.signal,
    );
    await expect(reading).resolves.toBeUndefined();
    expect(events).toEqual([{ id: "1", event: "run-started", data: "{}" }]);
  });
});
