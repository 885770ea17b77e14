import type { OutlookPageConfig } from "./outlookProtocol";

/** The Outlook mode's markup: message list, reading pane, the add-in's task pane, Office's dialog prompt, a log. */

function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{margin:0;font:14px "Segoe UI",system-ui,sans-serif;display:flex;flex-direction:column;height:100vh;background:#f5f5f5;color:#242424}
header{display:flex;gap:12px;align-items:center;padding:6px 12px;background:#0f6cbd;color:#fff}
header .user{margin-left:auto;opacity:.85}
main{flex:1;display:flex;min-height:0}
nav{width:260px;overflow:auto;border-right:1px solid #8886}
nav ul{list-style:none;margin:0;padding:0}
nav button{display:block;width:100%;text-align:left;padding:8px;border:0;border-bottom:1px solid #8883;background:none;font:inherit;cursor:pointer}
nav button[aria-pressed=true]{background:#cfe4fa}
#devhost-reading{flex:1;overflow:auto;padding:12px;min-width:200px}
iframe{width:420px;border:0;border-left:1px solid #8886;background:#fff}
#devhost-dialog-prompt{padding:8px 12px;background:#fff4ce}
aside{width:220px;overflow:auto;border-left:1px solid #8886;padding:8px;font-size:12px}
aside ol{padding-left:18px;word-break:break-all}
`;

export function renderOutlookPage(config: OutlookPageConfig, scriptPath: string): string {
  const user = config.user === null ? `not signed in (${config.userError ?? "unknown"})` : config.user.upn;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dev host (Outlook add-in) - development only</title>
<style>${STYLE}</style>
<script id="devhost-config" type="application/json">${embedJson(config)}</script>
<script src="${escapeHtml(scriptPath)}" defer></script>
</head>
<body>
<header>
<strong>Outlook (dev host)</strong>
<label><input id="devhost-naa" type="checkbox"> Nested app auth (NestedAppAuth 1.1)</label>
<span class="user">${escapeHtml(user)}</span>
</header>
<div id="devhost-dialog-prompt" role="alertdialog" aria-label="The add-in wants to display a new window" hidden>
The add-in wants to display a new window.
<button id="devhost-dialog-allow" type="button">Allow</button>
<button id="devhost-dialog-ignore" type="button">Ignore</button>
</div>
<main>
<nav aria-label="Messages"><ul id="devhost-messages"></ul></nav>
<section id="devhost-reading" aria-label="Reading pane"></section>
<iframe id="devhost-app" title="Add-in task pane" allow="clipboard-read; clipboard-write"></iframe>
<aside><details><summary>Log</summary><ol id="devhost-log"></ol></details></aside>
</main>
</body>
</html>
`;
}
