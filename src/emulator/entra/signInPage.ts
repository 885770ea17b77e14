import type { DirectoryUser } from "../directory/types";

/** The emulator's sign-in page: a plain, accessible form (labels, one h1, errors announced). */

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

const STYLE = `body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}label{display:block;margin:16px 0 4px}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 8px;font-size:15px;border:1px solid #666}
button{margin-top:20px;padding:6px 20px;font-size:15px;background:#0067b8;color:#fff;border:0;cursor:pointer}
button:focus,input:focus{outline:2px solid #000;outline-offset:2px}.error{color:#a4262c;margin:12px 0}
.accounts{margin-top:28px;font-size:13px}.accounts td{padding:2px 8px 2px 0}.note{font-size:13px;color:#444}`;

export interface SignInPageInput {
  action: string;
  /** The original authorize query, carried through the form. */
  query: string;
  tenantName: string;
  appName: string;
  loginHint?: string;
  error?: string;
  /** Signed-in account offered by prompt=select_account. */
  sessionUser?: DirectoryUser;
  accounts: { upn: string; roles: string }[];
}

export function signInPage(input: SignInPageInput): string {
  const hidden = `<input type="hidden" name="q" value="${escapeHtml(input.query)}">`;
  const session =
    input.sessionUser === undefined
      ? ""
      : `<form method="post" action="${escapeHtml(input.action)}">${hidden}<input type="hidden" name="use_session" value="1">
<button type="submit">Continue as ${escapeHtml(input.sessionUser.userPrincipalName)}</button></form>
<p class="note">Or sign in with another account:</p>`;
  const rows = input.accounts
    .map((a) => `<tr><td>${escapeHtml(a.upn)}</td><td>${escapeHtml(a.roles)}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in to your account</title><style>${STYLE}</style></head>
<body><main>
<h1>Sign in</h1>
<p class="note">${escapeHtml(input.appName)} wants to sign you in to ${escapeHtml(input.tenantName)} (local Microsoft 365 emulator).</p>
${input.error === undefined ? "" : `<p class="error" role="alert" id="error">${escapeHtml(input.error)}</p>`}
${session}
<form method="post" action="${escapeHtml(input.action)}">${hidden}
<label for="username">Email, phone, or Skype</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(input.loginHint ?? "")}"${input.error === undefined ? "" : ' aria-describedby="error"'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<section class="accounts" aria-labelledby="accounts-h"><h2 id="accounts-h" style="font-size:15px">Seed accounts</h2>
<p class="note">Passwords follow the rule <code>&lt;name before @&gt;-Pass1!</code> (see the README).</p>
<table><thead><tr><th scope="col">User</th><th scope="col">Directory roles</th></tr></thead><tbody>${rows}</tbody></table></section>
</main></body></html>`;
}

export function errorPage(title: string, description: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(description)}</p></main></body></html>`;
}

/** response_mode=form_post: the browser posts code and state to the redirect URI. */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}
<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
