import type { DevHostPageConfig } from "../protocol";
import { THEMES } from "../protocol";

/** The host page's markup: a host-like bar (theme, Save), the app frame, shared items and the message log. */

/** JSON inside `<script type="application/json">`: `<` escaped so no string can close the element. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{margin:0;font:14px "Segoe UI",system-ui,sans-serif;display:flex;flex-direction:column;height:100vh;background:#f5f5f5;color:#242424}
body[data-theme=dark]{background:#1f1f1f;color:#fff}
body[data-theme=contrast]{background:#000;color:#ff0}
header{display:flex;gap:12px;align-items:center;padding:6px 12px;background:#464775;color:#fff}
header .user{margin-left:auto;opacity:.85}
main{flex:1;display:flex;min-height:0}
iframe{flex:1;border:0;background:transparent}
aside{width:320px;overflow:auto;border-left:1px solid #8886;padding:8px;font-size:12px}
aside ol,aside ul{padding-left:18px;word-break:break-all}
#devhost-activity{list-style:none;padding:0}
#devhost-activity button{display:flex;flex-direction:column;gap:2px;width:100%;text-align:left;font:inherit;color:inherit;background:#8881;border:1px solid #8884;border-radius:4px;padding:6px 8px;margin-bottom:4px;cursor:pointer}
#devhost-activity button:focus-visible{outline:2px solid #5b5fc7}
#devhost-activity time{opacity:.7;font-size:11px}
`;

export function renderHostPage(config: DevHostPageConfig, scriptPath: string): string {
  const user = config.user === null ? `not signed in (${config.userError ?? "unknown"})` : config.user.upn;
  const options = THEMES.map((t) => `<option value="${t}"${t === config.theme ? " selected" : ""}>${t}</option>`).join(
    "",
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dev host (${escapeHtml(config.hostName)}) - development only</title>
<style>${STYLE}</style>
<script id="devhost-config" type="application/json">${embedJson(config)}</script>
<script src="${escapeHtml(scriptPath)}" defer></script>
</head>
<body data-theme="${escapeHtml(config.theme)}">
<header>
<strong>${escapeHtml(config.hostName)} (dev host)</strong>
<label>Theme <select id="devhost-theme">${options}</select></label>
<button id="devhost-save" type="button" hidden disabled>Save</button>
<span id="devhost-save-status" role="status"></span>
<span class="user">${escapeHtml(user)}</span>
</header>
<main>
<iframe id="devhost-app" title="App" allow="clipboard-read; clipboard-write"></iframe>
<aside>
<section aria-labelledby="devhost-activity-h"><h2 id="devhost-activity-h">Activity</h2><ul id="devhost-activity" aria-live="polite"></ul></section>
<h2>Shared</h2><ul id="devhost-shared"></ul>
<details open><summary>Messages</summary><ol id="devhost-log"></ol></details>
</aside>
</main>
</body>
</html>
`;
}
