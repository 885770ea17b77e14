import { outboundConnector } from "../../../../src/core/resources/outboundConnector";
import { connector, gateway, observed, rule, US_HOST, usEveryone } from "../fixtures";
import { describeResource, setupOf } from "./scenarios";

const always = setupOf({ ...usEveryone, connector: "always" });

describeResource("outboundConnector", {
  "absent -> create": () => {
    const d = outboundConnector.diff(always, observed());
    expect(d.actions).toEqual([
      expect.objectContaining({ cmdlet: "New-OutboundConnector", provides: `connector:${US_HOST}` }),
    ]);
    expect(d.status[0]?.state).toBe("missing");
  },
  "present and equal -> nothing": () => {
    const d = outboundConnector.diff(always, observed({ "Get-OutboundConnector": [connector(US_HOST)] }));
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("ok");
  },
  "drifted -> set": () => {
    const d = outboundConnector.diff(
      always,
      observed({ "Get-OutboundConnector": [connector(US_HOST, { TlsSettings: null })] }),
    );
    expect(d.status[0]?.drift).toEqual([{ property: "TlsSettings", desired: "CertificateValidation", actual: null }]);
    expect(d.actions[0]).toMatchObject({
      cmdlet: "Set-OutboundConnector",
      parameters: { Identity: `Connector ${US_HOST}`, TlsSettings: "CertificateValidation" },
    });
  },
  paused: () => {
    const paused = setupOf({ ...usEveryone, connector: "always", state: "paused" });
    const d = outboundConnector.diff(
      paused,
      observed({ "Get-OutboundConnector": [connector(US_HOST, { Enabled: false })] }),
    );
    expect(d.actions).toEqual([]);
    expect(d.status[0]?.state).toBe("drifted");
  },
  removed: () => {
    const removed = setupOf({ ...usEveryone, state: "removed" });
    const shared = connector(US_HOST, { Name: "Shared", RecipientDomains: [US_HOST, "partner.example"] });
    const d = outboundConnector.diff(
      removed,
      observed({
        "Get-OutboundConnector": [connector(US_HOST), shared, gateway],
        "Get-JournalRule": [rule(`contoso@${US_HOST}`)],
      }),
    );
    // The connector the setup made goes, after the journal rules; the shared one and the gateway stay.
    expect(d.actions).toEqual([
      expect.objectContaining({
        cmdlet: "Remove-OutboundConnector",
        parameters: { Identity: `Connector ${US_HOST}`, Confirm: false },
        needs: ["journal-rules-removed"],
        teardown: true,
      }),
    ]);
    expect(d.warnings).toEqual([
      expect.objectContaining({ code: "removal-keeps", message: expect.stringContaining('Connector "Shared" stays') }),
    ]);
  },
  "made by hand -> recognised, not duplicated": () => {
    // Any name, any case: a connector that serves the host is the setup's, not a reason for a second one.
    const d = outboundConnector.diff(
      always,
      observed({
        "Get-OutboundConnector": [
          connector(US_HOST.toUpperCase(), { Name: "Made by hand", SmartHosts: [US_HOST.toUpperCase()] }),
        ],
      }),
    );
    expect(d.actions).toEqual([]);
    expect(d.status[0]).toMatchObject({ state: "ok", identity: `Connector ${US_HOST.toUpperCase()}` });
  },
});
