/**
 * The module manifest: west.yml's model as JSON (`manifest.json`), resolved like west, and the
 * Zephyr modules its projects hold. This file is the public entry point; the work is split into
 * `manifest_schema.ts` (one file's shape), `manifest_json.ts` (syntax errors with line and column),
 * `manifest_resolve.ts` (imports, defaults, groups), `manifest_modules.ts` (`zephyr/module.yml`)
 * and `manifest_format.ts` (command output).
 *
 * Which manifest: an explicit file (or folder holding `manifest.json`); else the first
 * `manifest.json` found walking up from the current folder, skipping JSON files without a
 * top-level `manifest` key (a web app's manifest.json is not ours); else zsim's own. The
 * workspace top folder is the manifest's folder, or its parent(s) when `self.path` names the
 * manifest repository's folder (e.g. `app` for `ws/app/manifest.json`).
 *
 * Where zsim differs from west, and why:
 * - JSON, so `import: true` and folder imports read `manifest.json` / `*.json` files.
 * - zsim never clones: imports are read from the project folders on disk (west reads git's
 *   `manifest-rev`), and an import from a project whose folder is missing is skipped with a
 *   warning (west fails), so a partly present workspace still works.
 * - No `.west/config`, so no `manifest.group-filter` / `manifest.project-filter` options; group
 *   filters come from the manifests only, with west 0.10+ semantics.
 * - Duplicate remote names are errors (west silently keeps the last); the deprecated
 *   `*-whitelist`/`*-blacklist` import keys are not accepted.
 * - `self.path` must match the manifest's folder (west takes the folder from its config).
 * - `{sha}` in `zsim list -f` is the checked-out HEAD (west: `manifest-rev`), for the manifest
 *   repository too, or `N/A` when the folder is not a git checkout.
 *
 * @example
 * const { boardRoots, kconfigFiles, warnings } = resolveModules();
 * const boards = listBoards(boardRoots);
 */
export { ManifestError, SCHEMA_VERSION, VALID_SCHEMA_VERSIONS, checkManifestData, readManifestData } from './manifest_schema.ts';
export type { ImportItem, ImportMap, ImportSpec, JsonValue, ManifestData, ProjectData, SelfData, Submodule } from './manifest_schema.ts';
export { findJsonSyntaxError } from './manifest_json.ts';
export { DEFAULT_REVISION, MANIFEST_FILE, cleanPath, findManifest, loadManifest, pathMatches } from './manifest_resolve.ts';
export type { Manifest, Project } from './manifest_resolve.ts';
export { modulesKconfig, readModule, resolveModules } from './manifest_modules.ts';
export type { ResolvedModules, ZephyrModule } from './manifest_modules.ts';
export { FormatStringError, projectFields, pyFormat, readGitHead, resolvedManifestJson } from './manifest_format.ts';
export type { FormatValue } from './manifest_format.ts';
