import type { FastifyInstance, FastifyRequest } from "fastify";
import { mailFlowTestRequestSchema } from "../../core/contract/requests";
import { formatPath } from "../../core/errors";
import { invalidRequest, notFound } from "../errors";
import { parseMessageId, type MessageJournalingService } from "../mailflow/journaling";
import type { MailFlowTester } from "../mailflow/mailflowTest";
import { unsupportedMediaType } from "./errors";
import { principalOf, type Access } from "./pipeline";

/**
 * Issue 15's API (contract: src/core/contract/mailflow.ts): "was this message journaled?" for any
 * reader, and the mail-flow test (start: change role; results: readers).
 */
export interface MailflowRouteDeps {
  readonly journaling: MessageJournalingService;
  readonly tester: MailFlowTester;
}

interface ById {
  Params: { id: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function query(request: FastifyRequest): URLSearchParams {
  const q = request.url.indexOf("?");
  return new URLSearchParams(q === -1 ? "" : request.url.slice(q + 1));
}

export function registerMailflowRoutes(
  api: FastifyInstance,
  deps: MailflowRouteDeps,
  needs: (access: Access) => { config: { access: Access } },
): void {
  api.get("/messages/journaling", needs("read"), async (request) => {
    const id = parseMessageId(query(request).get("internetMessageId"));
    return deps.journaling.answer(principalOf(request), id);
  });

  api.post("/mailflow-tests", needs("change"), async (request, reply) => {
    if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) throw unsupportedMediaType();
    const parsed = mailFlowTestRequestSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw invalidRequest(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
    }
    const started = await deps.tester.start(principalOf(request), parsed.data);
    return reply.code(202).header("location", `/api/mailflow-tests/${started.testId}`).send(started);
  });

  api.get("/mailflow-tests", needs("read"), async (request) => {
    if (query(request).get("latest") !== "1") {
      throw invalidRequest([{ path: "latest", message: "only ?latest=1 is supported" }]);
    }
    const latest = await (await deps.tester.tests(principalOf(request).tenantId)).latest();
    if (!latest) throw notFound("A mail-flow test");
    return latest;
  });

  api.get<ById>("/mailflow-tests/:id", needs("read"), async (request) => {
    const id = request.params.id;
    const test = UUID.test(id) ? await (await deps.tester.tests(principalOf(request).tenantId)).get(id) : undefined;
    if (!test) throw notFound("The mail-flow test");
    return test;
  });
}
