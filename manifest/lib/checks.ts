/**
 * What the JSON schema does not check: https everywhere (the schema's httpsUrl pattern also accepts http),
 * every URL the host loads is on a validDomains entry, the SSO resource matches the app, at most one
 * extension, and the icons (file present, PNG, size, outline transparent and white-only, add-in sizes).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ValidationIssue } from "./errors";
import { decodePng, PngFormatError, readPngInfo, type PngInfo } from "./png";
import type { JsonObject, JsonValue } from "./template";

/** The app package as the hosts see it: the manifest and the other files at the zip root. */
export interface AppPackage {
  readonly manifest: JsonObject;
  /** File name -> bytes for everything in the package except manifest.json. */
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface CheckOptions {
  /** Folder holding the add-in ribbon icons the pane serves at /icons/<file>; checks their sizes when given. */
  readonly addinIconsDir?: string;
}

const COLOR_ICON_SIZE = 192;
const OUTLINE_ICON_SIZE = 32;
const REQUIRED_ADDIN_ICON_SIZES = [16, 32, 80];

function pointer(parts: readonly (string | number)[]): string {
  return "/" + parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function* strings(value: JsonValue, at: (string | number)[] = []): Generator<[string, string]> {
  if (typeof value === "string") yield [pointer(at), value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...at, i]);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) yield* strings(v, [...at, k]);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Links the host opens in a browser, not in its frame: they need not be on validDomains. */
function isBrowserLink(path: string): boolean {
  return path === "/$schema" || path.startsWith("/developer/");
}

/** "app.contoso.example", "localhost:3000" (the port is part of the host) or "*.contoso.example". */
function domainCovers(entry: string, url: URL): boolean {
  const e = entry.toLowerCase();
  if (e.startsWith("*.")) return url.host.endsWith(e.slice(1));
  return e === url.host;
}

function checkUrls(manifest: JsonObject): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const validDomains = Array.isArray(manifest.validDomains)
    ? manifest.validDomains.filter((d) => typeof d === "string")
    : [];
  const onValidDomain = (url: URL): boolean => validDomains.some((d) => domainCovers(d, url));
  for (const [at, value] of strings(manifest)) {
    if (!/^https?:\/\//i.test(value)) continue;
    if (/^http:/i.test(value))
      issues.push({ code: "HTTPS_REQUIRED", path: at, message: `must use https (got "${value}")` });
    if (isBrowserLink(at)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue; // malformed URLs are the schema's finding
    }
    if (!onValidDomain(url)) {
      issues.push({
        code: "DOMAIN_NOT_VALID",
        path: at,
        message: `host "${url.host}" is not listed in validDomains (${validDomains.join(", ") || "empty"})`,
      });
    }
  }
  const app = manifest.webApplicationInfo;
  if (isObject(app) && typeof app.resource === "string") {
    const match = /^api:\/\/([^/]+)\/(.+)$/.exec(app.resource);
    const host = match?.[1];
    if (match === null || host === undefined || match[2] !== app.id) {
      issues.push({
        code: "RESOURCE_MISMATCH",
        path: "/webApplicationInfo/resource",
        message: `must be api://<pane host>/${typeof app.id === "string" ? app.id : "<webApplicationInfo.id>"} (got "${app.resource}")`,
      });
    } else if (!onValidDomain(new URL(`https://${host}`))) {
      issues.push({
        code: "DOMAIN_NOT_VALID",
        path: "/webApplicationInfo/resource",
        message: `host "${host}" is not listed in validDomains`,
      });
    }
  }
  return issues;
}

function pngInfo(file: string, bytes: Buffer | undefined, at: string, issues: ValidationIssue[]): PngInfo | undefined {
  if (bytes === undefined) {
    issues.push({ code: "ICON_MISSING", path: at, message: `${file} is not in the package` });
    return undefined;
  }
  try {
    return readPngInfo(bytes);
  } catch (error) {
    issues.push({
      code: "ICON_NOT_PNG",
      path: at,
      message: `${file} is not a readable PNG (${(error as Error).message})`,
    });
    return undefined;
  }
}

function checkSize(file: string, info: PngInfo, size: number, at: string, issues: ValidationIssue[]): boolean {
  if (info.width === size && info.height === size) return true;
  issues.push({
    code: "ICON_SIZE",
    path: at,
    message: `${file} must be ${size}x${size} pixels (is ${info.width}x${info.height})`,
  });
  return false;
}

function checkOutlinePixels(file: string, bytes: Buffer, at: string, issues: ValidationIssue[]): void {
  let image;
  try {
    image = decodePng(bytes);
  } catch (error) {
    if (!(error instanceof PngFormatError)) throw error;
    issues.push({
      code: "ICON_NOT_TRANSPARENT",
      path: at,
      message: `${file} must be an 8-bit RGBA PNG so its transparency can be checked (${error.message})`,
    });
    return;
  }
  const { width, height, pixels } = image;
  const alphaAt = (x: number, y: number): number => pixels[(y * width + x) * 4 + 3] as number;
  const corners: [number, number][] = [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
  ];
  const opaqueCorner = corners.find(([x, y]) => alphaAt(x, y) !== 0);
  if (opaqueCorner !== undefined) {
    issues.push({
      code: "ICON_NOT_TRANSPARENT",
      path: at,
      message: `${file} must have a transparent background (pixel ${opaqueCorner.join(",")} is not transparent)`,
    });
  }
  let nonWhite = 0;
  let first = "";
  for (let i = 0; i < width * height; i++) {
    const [r, g, b, a] = pixels.subarray(i * 4, i * 4 + 4);
    if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
      if (nonWhite++ === 0) first = `${i % width},${Math.floor(i / width)} is rgb(${r},${g},${b})`;
    }
  }
  if (nonWhite > 0) {
    issues.push({
      code: "ICON_NOT_WHITE",
      path: at,
      message: `${file} must be white only on transparent; ${nonWhite} visible pixels are not white (pixel ${first})`,
    });
  }
}

function checkAppIcons(pkg: AppPackage): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const icons = pkg.manifest.icons;
  if (!isObject(icons)) return issues; // missing icons object is a schema error
  const expect = (key: string, size: number, outline: boolean): void => {
    const file = icons[key];
    if (typeof file !== "string") return;
    const at = `/icons/${key}`;
    const bytes = pkg.files.get(file);
    const info = pngInfo(file, bytes, at, issues);
    if (info === undefined || bytes === undefined) return;
    checkSize(file, info, size, at, issues);
    if (outline) {
      if (!info.hasAlpha)
        issues.push({
          code: "ICON_NOT_TRANSPARENT",
          path: at,
          message: `${file} must have an alpha channel (transparent background)`,
        });
      else checkOutlinePixels(file, bytes, at, issues);
    }
  };
  expect("color", COLOR_ICON_SIZE, false);
  expect("outline", OUTLINE_ICON_SIZE, true);
  expect("color32x32", OUTLINE_ICON_SIZE, false);
  return issues;
}

function* iconLists(value: JsonValue, at: (string | number)[]): Generator<[(string | number)[], JsonValue[]]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* iconLists(v, [...at, i]);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "icons" && Array.isArray(v)) yield [[...at, k], v];
      else yield* iconLists(v, [...at, k]);
    }
  }
}

function checkAddinIcons(manifest: JsonObject, options: CheckOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const extensions = manifest.extensions;
  if (!Array.isArray(extensions)) return issues;
  if (extensions.length > 1) {
    issues.push({
      code: "EXTENSIONS_TOO_MANY",
      path: "/extensions",
      message: `at most 1 extension is supported (found ${extensions.length})`,
    });
  }
  for (const [at, list] of iconLists(extensions, ["extensions"])) {
    const sizes = new Set(list.map((icon) => (isObject(icon) ? icon.size : undefined)));
    const missing = REQUIRED_ADDIN_ICON_SIZES.filter((s) => !sizes.has(s));
    if (missing.length > 0) {
      issues.push({
        code: "ADDIN_ICON_SIZES",
        path: pointer(at),
        message: `must include icons of sizes ${REQUIRED_ADDIN_ICON_SIZES.join(", ")} (missing ${missing.join(", ")})`,
      });
    }
    if (options.addinIconsDir === undefined) continue;
    for (const [i, icon] of list.entries()) {
      if (!isObject(icon) || typeof icon.url !== "string" || typeof icon.size !== "number") continue;
      let name: string;
      try {
        name = path.posix.basename(new URL(icon.url).pathname);
      } catch {
        continue;
      }
      const file = path.join(options.addinIconsDir, name);
      const iconAt = pointer([...at, i, "url"]);
      const info = pngInfo(name, existsSync(file) ? readFileSync(file) : undefined, iconAt, issues);
      if (info !== undefined) checkSize(name, info, icon.size, iconAt, issues);
    }
  }
  return issues;
}

function checkLayout(pkg: AppPackage): ValidationIssue[] {
  return [...pkg.files.keys()]
    .filter((name) => name.includes("/") || name.includes("\\"))
    .map((name) => ({
      code: "PACKAGE_LAYOUT" as const,
      path: name,
      message: "the package must hold only files at its root (manifest.json and icons)",
    }));
}

/** Every check beyond the schema; an empty list means the package is fine. */
export function checkPackage(pkg: AppPackage, options: CheckOptions = {}): ValidationIssue[] {
  return [
    ...checkLayout(pkg),
    ...checkUrls(pkg.manifest),
    ...checkAppIcons(pkg),
    ...checkAddinIcons(pkg.manifest, options),
  ];
}
