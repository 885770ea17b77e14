import { resolveDesiredState } from "../../../src/core";
import { euIndia, usEveryone } from "./fixtures";

function errorsOf(input: unknown): Array<{ path: string; message: string }> {
  const r = resolveDesiredState(input);
  if (r.ok) throw new Error("expected errors");
  return [...r.errors];
}

describe("desired state validation: every error names the field and the reason", () => {
  it("accepts both examples and defaults connector to auto", () => {
    const { connector: _c, ...noConnector } = usEveryone;
    const r = resolveDesiredState(noConnector);
    expect(r.ok && r.value.connectorMode).toBe("auto");
    expect(resolveDesiredState(euIndia).ok).toBe(true);
  });
  it.each([
    ["contoso corp", /not a valid mailbox local part/],
    ["contoso@x", /not a valid mailbox local part/],
    [".contoso", /not a valid mailbox local part/],
    ["a".repeat(65), /not a valid mailbox local part/],
  ])("rejects customer %j", (customer, message) => {
    expect(errorsOf({ ...usEveryone, customer })).toEqual([
      { path: "customer", message: expect.stringMatching(message) },
    ]);
  });
  it.each(["journal-ndr", "a@b", "a b@contoso.com", "x@-bad.com", "x@contoso.com\nSet-Foo"])(
    "rejects ndrMailbox %j",
    (ndr) => {
      expect(errorsOf({ ...usEveryone, ndrMailbox: ndr })).toEqual([
        { path: "ndrMailbox", message: expect.stringContaining("is not a valid SMTP address") },
      ]);
    },
  );
  it("rejects unknown regions, naming the known ones", () => {
    expect(errorsOf({ ...usEveryone, journaling: { everyone: { region: "mars" } } })).toEqual([
      {
        path: "journaling.everyone.region",
        message: expect.stringMatching(
          /unknown region "mars" \(known: us, eu-primary, eu1, bom, india-primary, asia, syd, australia\)/,
        ),
      },
    ]);
  });
  it("rejects two regions sharing a host", () => {
    const regions = [
      euIndia.journaling.regions[0],
      { region: "eu1", group: { name: "Other", address: "other@contoso.com" } },
    ];
    expect(errorsOf({ ...euIndia, journaling: { regions } })).toEqual([
      {
        path: "journaling.regions[1].region",
        message: expect.stringContaining("already used by journaling.regions[0]"),
      },
    ]);
  });
  it("rejects a group used twice", () => {
    const regions = [
      euIndia.journaling.regions[0],
      { region: "bom", group: { name: "Journaling EU", address: "JOURNALING-EU@contoso.com" } },
    ];
    expect(errorsOf({ ...euIndia, journaling: { regions } }).map((e) => e.path)).toEqual([
      "journaling.regions[1].group.address",
      "journaling.regions[1].group.name",
    ]);
  });
  it("rejects a member address that is not SMTP, duplicates, and the NDR address as a group", () => {
    const regions = [
      {
        region: "eu1",
        group: { name: "EU", address: "journal-ndr@contoso.com", members: ["anna@contoso.com", "ANNA@contoso.com"] },
      },
    ];
    expect(errorsOf({ ...euIndia, journaling: { regions } })).toEqual([
      { path: "journaling.regions[0].group.members[1]", message: "ANNA@contoso.com is listed twice" },
      { path: "ndrMailbox", message: expect.stringContaining("never a group") },
    ]);
    const bad = [{ region: "eu1", group: { name: "EU", address: "eu@contoso.com", members: ["nope"] } }];
    expect(errorsOf({ ...euIndia, journaling: { regions: bad } })).toEqual([
      { path: "journaling.regions[0].group.members[0]", message: '"nope" is not a valid SMTP address' },
    ]);
  });
  it("rejects wrong version, unknown profile, unknown fields, bad connector mode, both journaling modes", () => {
    expect(errorsOf({ ...usEveryone, version: 2 })[0]?.path).toBe("version");
    expect(errorsOf({ ...usEveryone, profile: "acme" })).toEqual([
      { path: "profile", message: expect.stringContaining('unknown profile "acme"') },
    ]);
    expect(errorsOf({ ...usEveryone, extra: true })[0]?.message).toMatch(/extra/);
    expect(errorsOf({ ...usEveryone, connector: "sometimes" })).toEqual([
      { path: "connector", message: "must be one of auto, always, never" },
    ]);
    expect(errorsOf({ ...usEveryone, journaling: { everyone: { region: "us" }, regions: [] } })[0]?.path).toBe(
      "journaling",
    );
    expect(errorsOf({ ...euIndia, journaling: { regions: [] } })).toEqual([
      { path: "journaling.regions", message: "must list at least one region" },
    ]);
  });
  it("rejects a group name longer than Exchange's 64 characters or with a line break", () => {
    const long = [{ region: "eu1", group: { name: "x".repeat(65), address: "eu@contoso.com" } }];
    expect(errorsOf({ ...euIndia, journaling: { regions: long } })[0]?.path).toBe("journaling.regions[0].group.name");
    const nl = [{ region: "eu1", group: { name: "EU\nRemove-JournalRule", address: "eu@contoso.com" } }];
    expect(errorsOf({ ...euIndia, journaling: { regions: nl } })[0]?.message).toMatch(/line breaks/);
  });
  it("rejects a non-object", () => {
    expect(errorsOf("hello")[0]?.path).toBe("(root)");
    expect(errorsOf(null)[0]?.path).toBe("(root)");
  });
});
