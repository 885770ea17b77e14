import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  MONITOR_IDENTITY_NOT_READY,
  MONITOR_INTERVAL_DEFAULT,
  MONITOR_INTERVAL_MAX,
  MONITOR_INTERVAL_MIN,
} from "../../core/contract/monitor";
import type { MonitorChannel, MonitorRecipient, MonitorSettings } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import type { DirectoryPerson } from "../../services/graphClient";
import { useLoad } from "../common/useLoad";
import { useServices } from "../services/ServicesContext";
import type { KeepWatchingModel, WatchFieldErrors, WatchForm } from "./KeepWatching.types";
import { useAdminConsent } from "./useAdminConsent";

/**
 * The form for saved settings. Never turned on yet and nobody chosen: the admin who opens it is
 * offered as the first person to tell (turning it on is then one switch and Save).
 */
function formFrom(settings: MonitorSettings, me?: MonitorRecipient): WatchForm {
  const fresh = !settings.watching && settings.enabledAt === undefined && settings.recipients.length === 0;
  return {
    watching: settings.watching,
    interval: String(settings.intervalMinutes || MONITOR_INTERVAL_DEFAULT),
    recipients: fresh && me ? [me] : settings.recipients,
    channel: settings.channel,
    query: "",
  };
}

const EMPTY_FORM: WatchForm = {
  watching: false,
  interval: String(MONITOR_INTERVAL_DEFAULT),
  recipients: [],
  channel: null,
  query: "",
};

/** The pane's own checks, the same as the backend's (1..1440 whole minutes; someone to tell when on). */
export function checkForm(form: WatchForm): WatchFieldErrors {
  const errors: { interval?: string; recipients?: string } = {};
  const text = form.interval.trim();
  const minutes = Number(text);
  if (text === "" || !Number.isInteger(minutes) || minutes < MONITOR_INTERVAL_MIN || minutes > MONITOR_INTERVAL_MAX) {
    errors.interval = `Enter whole minutes from ${MONITOR_INTERVAL_MIN} to ${MONITOR_INTERVAL_MAX} (a day).`;
  }
  if (form.watching && form.recipients.length === 0 && form.channel === null) {
    errors.recipients = "Add at least one person (or a team channel) to tell when something breaks.";
  }
  return errors;
}

/** The backend's 400 fieldErrors, placed next to the field they name. */
function fieldErrorsOf(err: unknown): WatchFieldErrors {
  if (!(err instanceof PaneError)) return {};
  const out: { interval?: string; recipients?: string; channel?: string } = {};
  for (const f of err.details.fieldErrors ?? []) {
    const path = f.path.replace(/^\/?body[./]?/, "").replace(/^\//, "");
    if (path.startsWith("intervalMinutes")) out.interval = f.message;
    else if (path.startsWith("recipients")) out.recipients = f.message;
    else if (path.startsWith("channel")) out.channel = f.message;
  }
  return out;
}

/** Keep watching: the monitor's settings, the admin's edits, the save, and the identity walkthrough. */
export function useKeepWatching(): KeepWatchingModel {
  const { backend, host, session } = useServices();
  const read = useCallback(() => backend.monitorSettings(), [backend]);
  const loaded = useLoad(read);
  // The latest settings from any answer (load, save, consent polling, Check again).
  const [settings, setSettings] = useState<MonitorSettings | null>(null);
  const [form, setForm] = useState<WatchForm>(EMPTY_FORM);
  // Whether the admin changed anything since the last load or save (a ref: reloads must not re-run on it).
  const touched = useRef(false);
  const [shownErrors, setShownErrors] = useState<WatchFieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [checkNote, setCheckNote] = useState<string | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const me = useMemo<MonitorRecipient | undefined>(
    () => (session.canChange ? { upn: session.user.upn, displayName: session.user.name } : undefined),
    [session],
  );

  useEffect(() => {
    if (!loaded.value) return;
    setSettings(loaded.value);
    // A reload (Check again) refreshes the identity; what the admin typed stays.
    const value = loaded.value;
    setForm((f) => (touched.current ? f : formFrom(value, me)));
  }, [loaded.value, me]);

  const consent = useAdminConsent(backend, host, setSettings);

  const edit = (change: (f: WatchForm) => WatchForm): void => {
    touched.current = true;
    setSaved(null);
    setForm(change);
  };

  const hereChannel = useMemo<MonitorChannel | null>(() => {
    const c = host.context;
    return c?.teamId && c.channelId
      ? { teamId: c.teamId, channelId: c.channelId, ...(c.channelName ? { name: c.channelName } : {}) }
      : null;
  }, [host]);

  const save = (): void => {
    const problems = checkForm(form);
    setShownErrors(problems);
    setSaveError(null);
    setSaved(null);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    backend
      .putMonitorSettings({
        watching: form.watching,
        intervalMinutes: Number(form.interval.trim()),
        recipients: form.recipients.map((r) => r.upn),
        channel: form.channel ? { teamId: form.channel.teamId, channelId: form.channel.channelId } : null,
      })
      .then((next) => {
        setSettings(next);
        touched.current = false;
        setForm(formFrom(next, me));
        setSaved(
          next.watching
            ? `Saved. The monitor checks every ${next.intervalMinutes} minute${next.intervalMinutes === 1 ? "" : "s"}.`
            : "Saved. The monitor is off.",
        );
      })
      .catch((err: unknown) => {
        setSaveError(err);
        setShownErrors(fieldErrorsOf(err));
        // Not ready after all (consent revoked, role removed): read the identity again for the walkthrough.
        if (err instanceof PaneError && err.details.remoteCode === MONITOR_IDENTITY_NOT_READY) loaded.reload();
      })
      .finally(() => setSaving(false));
  };

  return {
    settings,
    loading: loaded.loading,
    loadError: loaded.error,
    canChange: session.canChange,
    form,
    fieldErrors: shownErrors,
    saving,
    saveError,
    saved,
    consent: consent.phase,
    hereChannel,
    setWatching: (on) => edit((f) => ({ ...f, watching: on })),
    setInterval: (text) => edit((f) => ({ ...f, interval: text })),
    setQuery: (text) => setForm((f) => ({ ...f, query: text })),
    addRecipient: (person: DirectoryPerson) =>
      edit((f) =>
        f.recipients.some((r) => r.upn.toLowerCase() === (person.userPrincipalName || person.mail).toLowerCase())
          ? { ...f, query: "" }
          : {
              ...f,
              query: "",
              recipients: [
                ...f.recipients,
                { upn: person.userPrincipalName || person.mail, displayName: person.displayName },
              ],
            },
      ),
    removeRecipient: (upn) => edit((f) => ({ ...f, recipients: f.recipients.filter((r) => r.upn !== upn) })),
    setChannel: (channel) => edit((f) => ({ ...f, channel })),
    save,
    grantConsent: () => {
      const url = settings?.identity.consentUrl;
      if (url) consent.start(url);
    },
    checkAgain: loaded.reload,
    checkNote,
    checkError,
    checkNow: () => {
      setCheckNote(null);
      setCheckError(null);
      backend
        .checkMonitorNow()
        .then(() =>
          setCheckNote("The monitor is checking now; the status and the alerts show the result in a minute or two."),
        )
        .catch((err: unknown) => setCheckError(err));
    },
  };
}
