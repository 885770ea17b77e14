import { createParser, type EventSourceParser } from "eventsource-parser";

/**
 * A text/event-stream reader for fetch() bodies. EventSource cannot send an Authorization header,
 * so the pane reads the stream with fetch; the parsing (WHATWG HTML "event stream" rules: `event:`,
 * `data:` joined by \n, `id:`, comments, a blank line dispatches, any line ending) is eventsource-parser's.
 */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  /** The stream's last event ID when the event was dispatched (an `id:` stays in force until the next one). */
  readonly id?: string;
}

export class SseParser {
  private readonly parser: EventSourceParser;
  /**
   * eventsource-parser reports only the `id:` of the event's own block; the spec's "last event ID" carries on
   * to later events without one, which is what a reconnection sends back as Last-Event-ID.
   * (A block with an `id:` but no `data:` dispatches nothing, so its id is not seen; our backend never sends one.)
   */
  private lastEventId: string | undefined;

  constructor(onEvent: (e: ServerSentEvent) => void) {
    this.parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) this.lastEventId = message.id;
        onEvent({
          event: message.event ?? "message",
          data: message.data,
          ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}),
        });
      },
    });
  }

  /** Feeds decoded text; chunks may split lines (and CRLF pairs) anywhere. */
  push(chunk: string): void {
    this.parser.feed(chunk);
  }
}

/** Reads a fetch body as an event stream until it ends or the signal aborts. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: ServerSentEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser(onEvent);
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
