import { MessageBar, MessageBarBody, MessageBarTitle, Tab, TabList } from "@fluentui/react-components";
import React, { Suspense } from "react";
import type { AppRoute } from "../App/App.types";
import { statusViewChunk } from "../StatusView/statusViewChunk";
import { StepSkeleton } from "../common/StepSkeleton";
import { ServicesProvider, type PaneServices } from "../services/ServicesContext";

const ManagedSetup = React.lazy(() => import(/* webpackChunkName: "wizard" */ "../Manage/ManagedSetup"));
const ProgressView = React.lazy(() => import(/* webpackChunkName: "progress" */ "../ProgressView/ProgressView"));
const ReadOnlyView = React.lazy(() => import(/* webpackChunkName: "progress" */ "../ReadOnlyView/ReadOnlyView"));
const StatusStep = React.lazy(() => import(/* webpackChunkName: "status" */ "../steps/StatusStep/StatusStep"));
const StatusView = statusViewChunk.Component;
const MessageJournaling = React.lazy(
  () => import(/* webpackChunkName: "message-journaling" */ "../MessageJournaling/MessageJournaling"),
);

export interface SignedInShellProps {
  readonly services: PaneServices;
  readonly route: AppRoute;
  readonly onNavigate: (route: AppRoute) => void;
  /** The Teams channel tab: the shared progress and the tenant's status for the IT team. */
  readonly channelTab?: boolean;
}

/** After sign-in: the views (setup or shared progress), each its own chunk. */
export default function SignedInShell({
  services,
  route,
  onNavigate,
  channelTab = false,
}: SignedInShellProps): React.JSX.Element {
  const view =
    route === "status" ? (
      <StatusView onChangeSetup={() => onNavigate("setup")} />
    ) : route === "progress" ? (
      <>
        <ProgressView />
        {channelTab ? (
          <section aria-labelledby="channel-status-heading">
            <h2 id="channel-status-heading">Journaling status</h2>
            <StatusStep onChangeSetup={() => onNavigate("setup")} whatNext={false} />
          </section>
        ) : null}
      </>
    ) : services.session.canChange ? (
      <>
        {services.session.access.kind === "exchangeDecides" ? (
          // No Entra admin role: say up front that Exchange's own role groups decide each step.
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Exchange decides</MessageBarTitle>
              {services.session.access.text}
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <ManagedSetup />
      </>
    ) : (
      <ReadOnlyView />
    );
  return (
    <ServicesProvider value={services}>
      {services.host.mailItem ? (
        // The Outlook task pane next to a message: first the question about that message.
        <Suspense fallback={<StepSkeleton label="Loading" />}>
          <MessageJournaling source={services.host.mailItem} />
        </Suspense>
      ) : null}
      <TabList selectedValue={route} onTabSelect={(_, data) => onNavigate(data.value as AppRoute)} aria-label="Views">
        <Tab value="setup">Setup</Tab>
        <Tab value="progress">Shared progress</Tab>
        <Tab value="status">Status</Tab>
      </TabList>
      <Suspense fallback={<StepSkeleton label="Loading" rows={6} />}>{view}</Suspense>
    </ServicesProvider>
  );
}
