import {
  Button,
  Checkbox,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Tag,
  TagGroup,
} from "@fluentui/react-components";
import type React from "react";
import { PaneError } from "../../../services/errors";
import { describeError } from "../../errors/describeError";
import { PeoplePicker } from "../../PeoplePicker/PeoplePicker";
import { useStepStyles } from "../useStepStyles.styles";
import { useState } from "react";
import type { RegionGroupEditorProps } from "./RegionsStep.types";
import { useRegionSuggestions } from "./useRegionsStep";
import { useRegionsStepStyles } from "./useRegionsStepStyles.styles";

/** Why there are no suggestions, and what to do instead. */
function suggestionProblem(error: unknown): string {
  if (error instanceof PaneError && (error.code === "graph_forbidden" || error.code === "graph_error")) {
    return "No suggestions by country: reading users' usage location needs the User.Read.All permission, which this app has not been granted. Search by name above instead.";
  }
  const text = describeError(error);
  return `No suggestions: ${text.title}. ${text.next}`;
}

/** One region's distribution list: create or reuse, and who is in it. */
export function RegionGroupEditor({
  region,
  value,
  onChange,
  existingLists,
  errors,
}: RegionGroupEditorProps): React.JSX.Element {
  const styles = useRegionsStepStyles();
  const step = useStepStyles();
  const suggestions = useRegionSuggestions(region);
  const [query, setQuery] = useState("");
  const members = new Set(value.members.map((m) => m.toLowerCase()));
  const suggested = suggestions.people.filter((p) => !members.has(p.mail.toLowerCase()));
  const addMembers = (addresses: readonly string[]): void =>
    onChange({
      ...value,
      manageMembers: true,
      members: [...value.members, ...addresses.filter((a) => !members.has(a.toLowerCase()))],
    });
  const headingId = `region-${region.id}-heading`;

  return (
    <section className={styles.regionCard} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.regionTitle}>
        {region.label}
      </h3>
      <span className={styles.residency}>{region.residency}</span>
      <Field label="Distribution list">
        <RadioGroup
          layout="horizontal"
          value={value.mode}
          onChange={(_, d) => {
            const mode = d.value === "reuse" ? "reuse" : "create";
            onChange(
              mode === "reuse"
                ? { ...value, mode, name: "", address: "", manageMembers: false, members: [] }
                : { ...value, mode, manageMembers: true },
            );
          }}
        >
          <Radio value="create" label="Create a new list" />
          <Radio value="reuse" label="Reuse an existing list" disabled={existingLists.length === 0} />
        </RadioGroup>
      </Field>
      {value.mode === "create" ? (
        <>
          <Field
            label="List name"
            required
            validationState={errors.name ? "error" : "none"}
            validationMessage={errors.name}
          >
            <Input
              className={styles.input}
              value={value.name}
              onChange={(_, d) => onChange({ ...value, name: d.value })}
            />
          </Field>
          <Field
            label="List address"
            required
            validationState={errors.address ? "error" : "none"}
            validationMessage={errors.address}
          >
            <Input
              className={styles.input}
              type="email"
              value={value.address}
              onChange={(_, d) => onChange({ ...value, address: d.value })}
            />
          </Field>
        </>
      ) : (
        <Field
          label="Existing list"
          required
          validationState={errors.address ? "error" : "none"}
          validationMessage={errors.address}
        >
          <Select
            value={value.address}
            onChange={(_, d) => {
              const list = existingLists.find((l) => l.address === d.value);
              onChange({ ...value, address: list?.address ?? "", name: list?.name ?? "" });
            }}
          >
            <option value="">Choose a list…</option>
            {existingLists.map((l) => (
              <option key={l.address} value={l.address}>
                {l.name} ({l.address})
              </option>
            ))}
          </Select>
        </Field>
      )}
      {value.mode === "reuse" ? (
        <Checkbox
          checked={value.manageMembers}
          onChange={(_, d) => onChange({ ...value, manageMembers: d.checked === true })}
          label="Set this list's members to exactly the people below (otherwise its members are left as they are)"
        />
      ) : null}
      {value.manageMembers ? (
        <>
          <PeoplePicker
            label={`Add members to ${region.label}`}
            value={query}
            onValueChange={setQuery}
            onPick={(p) => {
              addMembers([p.mail]);
              setQuery("");
            }}
          />
          <div aria-live="polite">
            {suggestions.loading ? (
              <Spinner size="tiny" label="Looking for people in this region" />
            ) : suggestions.error ? (
              <p className={step.note}>{suggestionProblem(suggestions.error)}</p>
            ) : suggested.length > 0 ? (
              <div className={step.stack}>
                <p className={step.note}>Suggested: people whose usage location is {region.countries.join(", ")}.</p>
                <div className={step.row}>
                  {suggested.map((p) => (
                    <Button
                      key={p.id}
                      size="small"
                      onClick={() => addMembers([p.mail])}
                      aria-label={`Add ${p.displayName}`}
                    >
                      + {p.displayName}
                    </Button>
                  ))}
                  {suggested.length > 1 ? (
                    <Button size="small" appearance="primary" onClick={() => addMembers(suggested.map((p) => p.mail))}>
                      Add all {suggested.length} suggested
                    </Button>
                  ) : null}
                </div>
              </div>
            ) : null}
          </div>
          {value.members.length > 0 ? (
            <TagGroup
              className={styles.tags}
              aria-label={`Members of the ${region.label} list`}
              onDismiss={(_, d) =>
                onChange({
                  ...value,
                  members: value.members.filter((m) => m.toLowerCase() !== String(d.value).toLowerCase()),
                })
              }
            >
              {value.members.map((m) => (
                <Tag key={m} value={m} dismissible dismissIcon={{ "aria-label": `Remove ${m}` }}>
                  {m}
                </Tag>
              ))}
            </TagGroup>
          ) : (
            <p className={step.note}>No members yet: only members of this list are journaled to {region.label}.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
