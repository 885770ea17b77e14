import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type React from "react";
import { REQUIRED_ROLES_TEXT } from "../../core/contract/roles";
import Manage from "../Manage/Manage";
import ProgressView from "../ProgressView/ProgressView";
import { useServices } from "../services/ServicesContext";

/** For users whose roles don't allow changes: what they need, and where the setup stands. */
export default function ReadOnlyView(): React.JSX.Element {
  const { session } = useServices();
  const needed = session.requiredRoles.length > 0 ? session.requiredRoles.join(" or ") : REQUIRED_ROLES_TEXT;
  return (
    <>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Read-only</MessageBarTitle>
          You are signed in as {session.user.upn}
          {session.roles.length > 0 ? ` (${session.roles.join(", ")})` : " without an admin role"}. Changing the
          journaling setup needs the {needed} role, or membership of the Exchange role group Organization Management.
          Ask someone with that role to make the change, or to assign it to you.
          {/* Why the backend decided so, when it is not simply an Entra reader role. */}
          {session.access.kind === "none" || session.access.kind === "rolesUnknown" ? (
            <p>{session.access.text}</p>
          ) : null}
        </MessageBarBody>
      </MessageBar>
      {/* The setup's state (active, "Paused since … by …", removed); its buttons are disabled for readers. */}
      <Manage />
      <ProgressView />
    </>
  );
}
