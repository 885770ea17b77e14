import { escapeHtml } from "./signInPage";

/**
 * The pages of the device code sign-in (Entra's https://microsoft.com/devicelogin, which lands on
 * login.microsoftonline.com/common/oauth2/deviceauth): "Enter code", then "Are you trying to sign
 * in to {app}?" with Continue / Cancel, then the usual sign-in form (signInPage.ts), then a page
 * saying the device is signed in. Plain, accessible forms like the sign-in page.
 */

const STYLE = `body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}label{display:block;margin:16px 0 4px}
input[type=text]{width:100%;box-sizing:border-box;padding:6px 8px;font-size:15px;border:1px solid #666}
button{margin:20px 8px 0 0;padding:6px 20px;font-size:15px;background:#0067b8;color:#fff;border:0;cursor:pointer}
button.secondary{background:#ccc;color:#1b1b1b}
button:focus,input:focus{outline:2px solid #000;outline-offset:2px}.error{color:#a4262c;margin:12px 0}.note{font-size:13px;color:#444}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>`;
}

/** Step 1: the user types the code the device shows. */
export function enterCodePage(action: string, options: { error?: string; code?: string } = {}): string {
  const describedBy = options.error === undefined ? "" : ' aria-describedby="error"';
  return page(
    "Enter code",
    `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${options.error === undefined ? "" : `<p class="error" role="alert" id="error">${escapeHtml(options.error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="step" value="code">
<label for="otc">Code</label>
<input id="otc" name="otc" type="text" autocomplete="off" autocapitalize="characters" required value="${escapeHtml(options.code ?? "")}"${describedBy}>
<button type="submit">Next</button>
</form>`,
  );
}

/** Step 2: the phishing check Entra shows before the sign-in. */
export function confirmPage(action: string, code: string, appName: string): string {
  return page(
    "Are you trying to sign in?",
    `<h1>Are you trying to sign in to ${escapeHtml(appName)}?</h1>
<p>Only continue if you downloaded the app from a store or website that you trust.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="step" value="confirm">
<input type="hidden" name="otc" value="${escapeHtml(code)}">
<button type="submit" name="decision" value="continue">Continue</button>
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
</form>`,
  );
}

/** The end: the device now gets its tokens on its next poll (or the user cancelled). */
export function donePage(appName: string, outcome: "signed_in" | "declined"): string {
  const text =
    outcome === "signed_in"
      ? `You have signed in to the ${appName} application on your device. You may now close this window.`
      : `You have declined to sign in to the ${appName} application on your device. You may now close this window.`;
  return page(appName, `<h1>${escapeHtml(appName)}</h1>\n<p role="status">${escapeHtml(text)}</p>`);
}
