import { Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn } from "../common/useSharedStyles.styles";
import type React from "react";
import { useEffect, useRef, useState } from "react";
import { paneViewUrl, type HostService, type TabSettings } from "../../services/host";
import { CHANNEL_TAB_ENTITY_ID } from "../App/App.types";

const useStyles = makeStyles({
  card: cardColumn,
  heading: { margin: 0, fontSize: tokens.fontSizeBase400 },
});

export const DEFAULT_TAB_NAME = "Journaling progress";

/** The channel tab's settings: the shared progress (and status) view, under the name the team chose. */
export function channelTabSettings(origin: string, name: string): TabSettings {
  const url = paneViewUrl(origin, "progress");
  return { contentUrl: url, websiteUrl: url, entityId: CHANNEL_TAB_ENTITY_ID, suggestedDisplayName: name.trim() };
}

export interface TabConfigProps {
  readonly host: HostService;
}

/**
 * The configurable channel tab's configuration page (Teams, frameContext `settings`): the team
 * picks a name, the host's Save stores a tab that shows the shared progress and the status.
 * Needs no sign-in: it only saves a URL.
 */
export default function TabConfig({ host }: TabConfigProps): React.JSX.Element {
  const styles = useStyles();
  const [name, setName] = useState(DEFAULT_TAB_NAME);
  const latest = useRef(name);
  latest.current = name;
  const config = host.tabConfig;

  useEffect(() => {
    config?.onSave(() => channelTabSettings(window.location.origin, latest.current));
  }, [config]);

  const valid = name.trim() !== "";
  useEffect(() => {
    config?.setValid(valid);
  }, [config, valid]);

  const channel = host.context?.channelName;
  return (
    <section className={styles.card} aria-labelledby="tab-config-heading">
      <h2 id="tab-config-heading" className={styles.heading}>
        Show the journaling setup {channel ? `in ${channel}` : "in this channel"}
      </h2>
      <p>
        The tab shows where the setup stands, who did what, and whether journaling works (connector, journal rules,
        delivered reports). Everyone in the channel can look; changes still need an Exchange Administrator or Global
        Administrator. Choose Save to add it.
      </p>
      <Field
        label="Tab name"
        required
        validationState={valid ? "none" : "error"}
        validationMessage={valid ? undefined : "Give the tab a name."}
      >
        <Input value={name} onChange={(_, data) => setName(data.value)} maxLength={64} />
      </Field>
    </section>
  );
}
