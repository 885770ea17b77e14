import path from "node:path";

/** manifest/ (this folder's parent). */
export const MANIFEST_DIR = path.resolve(__dirname, "..");
export const REPO_ROOT = path.resolve(MANIFEST_DIR, "..");
export const TEMPLATE_PATH = path.join(MANIFEST_DIR, "manifest.template.json");
export const ENVIRONMENTS_DIR = path.join(MANIFEST_DIR, "environments");
export const ICONS_DIR = path.join(MANIFEST_DIR, "icons");
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, "dist");
