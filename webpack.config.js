// Builds the pane. Entry points: the pane itself (index.html, used by the Teams tab, the Outlook
// task pane and a plain browser). Later wizard steps are split into chunks loaded on demand.
const path = require("node:path");
const HtmlWebpackPlugin = require("html-webpack-plugin");

module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  return {
    entry: { pane: "./src/taskpane/index.tsx" },
    output: {
      path: path.resolve(__dirname, "dist/pane"),
      filename: production ? "[name].[contenthash:8].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash:8].js" : "[name].js",
      clean: true,
      publicPath: "/",
    },
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [{ test: /\.tsx?$/, loader: "esbuild-loader", options: { target: "es2020", jsx: "automatic" } }],
    },
    plugins: [new HtmlWebpackPlugin({ template: "./src/taskpane/index.html", filename: "index.html", chunks: ["pane"] })],
    devtool: production ? false : "source-map",
    performance: { hints: false },
  };
};
