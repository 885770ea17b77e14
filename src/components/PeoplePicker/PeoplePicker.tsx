import { Combobox, Field, Option, OptionGroup } from "@fluentui/react-components";
import type React from "react";
import { useMemo } from "react";
import { describeError } from "../errors/describeError";
import { useServices } from "../services/ServicesContext";
import type { PeoplePickerProps } from "./PeoplePicker.types";
import { usePeoplePicker } from "./usePeoplePicker";
import { usePeoplePickerStyles } from "./usePeoplePickerStyles.styles";

/** Type a name or address; matching user accounts from the directory are offered (Graph $search). */
export function PeoplePicker(props: PeoplePickerProps): React.JSX.Element {
  const { directory } = useServices();
  const styles = usePeoplePickerStyles();
  const search = usePeoplePicker(directory, props.value, props.groupsRefusedBecause !== undefined, props.onGroupsFound);
  const byMail = useMemo(() => new Map(search.people.map((p) => [p.mail.toLowerCase(), p])), [search.people]);
  const searchError = search.error ? describeError(search.error) : null;
  const state =
    props.validationState && props.validationState !== "none"
      ? props.validationState
      : searchError
        ? "warning"
        : "none";
  const message = props.validationMessage ?? (searchError ? `${searchError.title}. ${searchError.next}` : undefined);
  return (
    <Field label={props.label} hint={props.hint} validationState={state} validationMessage={message}>
      <Combobox
        className={styles.combobox}
        freeform
        value={props.value}
        placeholder={props.placeholder ?? "Name or email address"}
        onChange={(e) => props.onValueChange(e.target.value)}
        onOptionSelect={(_, data) => {
          const person = data.optionValue ? byMail.get(data.optionValue.toLowerCase()) : undefined;
          if (person) props.onPick(person);
        }}
      >
        {search.searching ? (
          <Option disabled value="" text="Searching">
            Searching…
          </Option>
        ) : null}
        {search.people.length > 0 ? (
          <OptionGroup label="People">
            {search.people.map((p) => (
              <Option key={p.id} value={p.mail} text={p.mail}>
                {p.displayName} <span className={styles.secondary}>{p.mail}</span>
              </Option>
            ))}
          </OptionGroup>
        ) : null}
        {props.groupsRefusedBecause !== undefined && search.groups.length > 0 ? (
          <OptionGroup label="Groups (can't be chosen)">
            {search.groups.map((g) => (
              <Option key={g.id} value={g.mail} text={g.mail} disabled>
                {g.displayName}{" "}
                <span className={styles.refused}>
                  ({g.kind} group: {props.groupsRefusedBecause})
                </span>
              </Option>
            ))}
          </OptionGroup>
        ) : null}
        {!search.searching && search.people.length === 0 && props.value.trim().length >= 2 && !search.error ? (
          <Option disabled value="" text="No matches">
            No matching people
          </Option>
        ) : null}
      </Combobox>
    </Field>
  );
}
