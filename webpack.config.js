// Builds the pane into dist/pane. One entry, three pages (index.html, config.html, taskpane.html);
// everything not needed for the first render is a chunk loaded on demand:
//   pane    - React, the Fluent pieces of the shell, the App shell, host detection (first render)
//   host-teams - teams-js (only when framed)          host-outlook - the office.js glue (task pane)
//   auth    - MSAL (browser redirect flow)           auth-naa - MSAL nested app auth (hosts)
//   auth-teams - Teams SSO (getAuthToken)            graph   - the Graph client (people pickers)
//   wizard  - steps 1-4 + the core's validation      review/apply/status/progress - later views
// Budgets (issue 5, measured by bench/pane.ts): <= 150 KB gzipped JS before the first render,
// <= 330 KB by the end of the wizard.
const path = require("node:path");
const HtmlWebpackPlugin = require("html-webpack-plugin");

module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  return {
    // authDialog: Outlook's sign-in dialog page (auth-dialog.html), only where nested app auth is missing.
    entry: { pane: "./src/taskpane/index.tsx", authDialog: "./src/taskpane/authDialog.ts" },
    output: {
      path: path.resolve(__dirname, "dist/pane"),
      filename: production ? "[name].[contenthash:8].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash:8].js" : "[name].js",
      clean: true,
      publicPath: "/",
    },
    resolve: {
      extensions: [".tsx", ".ts", ".mjs", ".js", ".json"],
      // Prefer ES modules so webpack can tree-shake Fluent, MSAL and the Graph client.
      mainFields: ["browser", "module", "main"],
    },
    module: {
      rules: [
        { test: /\.tsx?$/, loader: "esbuild-loader", options: { target: "es2020", jsx: "automatic" } },
        // The core is pure (no I/O, no globals: ARCHITECTURE.md), so unused exports may be dropped with
        // their imports; this keeps zod (schema parsing) out of the pane, which imports only helpers.
        { test: /[\\/]src[\\/]core[\\/]/, sideEffects: false },
        // Some packages ship .mjs without full file extensions in their imports.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    optimization: {
      splitChunks: {
        chunks: "async",
        // Shared code of the later views goes into few chunks rather than many tiny ones.
        minSize: 20000,
      },
    },
    plugins: [
      // index.html: personal tab (Teams, Outlook, Microsoft 365 app), channel tab content, browser.
      // config.html: the channel tab's configuration page. taskpane.html: the Outlook add-in, the
      // only page that loads office.js (from Microsoft's CDN). One bundle; the page and the host
      // decide what it shows.
      ...[
        ["index.html", "./src/taskpane/index.html"],
        ["config.html", "./src/taskpane/index.html"],
        ["taskpane.html", "./src/taskpane/taskpane.html"],
      ].map(
        ([filename, template]) =>
          new HtmlWebpackPlugin({ template, filename, chunks: ["pane"], scriptLoading: "defer" }),
      ),
      new HtmlWebpackPlugin({
        template: "./src/taskpane/auth-dialog.html",
        filename: "auth-dialog.html",
        chunks: ["authDialog"],
        scriptLoading: "defer",
      }),
    ],
    devtool: production ? false : "source-map",
    performance: { hints: false },
    stats: production ? "errors-warnings" : "normal",
  };
};
