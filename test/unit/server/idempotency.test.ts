import { existenceCheck } from "../../../src/server/executor/idempotency";
import type { ExchangeRunner, Row } from "../../../src/server/exchange/runner";

/** A runner that answers Get- as Exchange does: an Identity that matches nothing returns every object. */
function exchangeWith(objects: Row[]): ExchangeRunner {
  return {
    run: (_cmdlet, parameters) => {
      const id = String(parameters.Identity ?? "").toLowerCase();
      const hit = objects.filter((o) => String(o.Name).toLowerCase() === id);
      return Promise.resolve(hit.length > 0 ? hit : objects);
    },
  };
}

test("a connector that is not there is not 'already done', though Get- answers with the other connectors", async () => {
  const check = existenceCheck(
    exchangeWith([{ Name: "Journaling EU", Identity: "Journaling EU" }]),
    "New-OutboundConnector",
    {
      Name: "Journaling India",
    },
  );
  expect(await check?.()).toBe("retry");
});

test("the connector an earlier attempt created is 'done' (names compare without case)", async () => {
  const check = existenceCheck(
    exchangeWith([{ Name: "Journaling India", Identity: "Journaling India" }]),
    "New-OutboundConnector",
    {
      Name: "journaling india",
    },
  );
  expect(await check?.()).toBe("done");
});

test("a list is found by its address among its proxy addresses", async () => {
  const runner: ExchangeRunner = {
    run: () =>
      Promise.resolve([
        {
          Name: "Journaling EU",
          PrimarySmtpAddress: "Journaling-EU@contoso.com",
          EmailAddresses: ["SMTP:journaling-eu@contoso.com"],
        },
      ]),
  };
  expect(
    await existenceCheck(runner, "New-DistributionGroup", { PrimarySmtpAddress: "journaling-eu@contoso.com" })?.(),
  ).toBe("done");
  expect(
    await existenceCheck(runner, "New-DistributionGroup", { PrimarySmtpAddress: "journaling-in@contoso.com" })?.(),
  ).toBe("retry");
});
