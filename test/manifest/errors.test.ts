import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadManifest, ManifestError } from '../../src/build/manifest.ts';
import { man, workspace, type FileContent } from './helpers.ts';

/** The message of the ManifestError that loading `files` throws; `FILE` stands for the workspace. */
function errorOf(files: Record<string, FileContent>, entry = 'manifest.json'): string {
  const ws = workspace(files);
  try {
    loadManifest(path.join(ws, entry));
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    return e.message.split(ws + path.sep).join('WS/');
  }
  throw new Error('no error');
}
const projectsError = (projects: unknown[], extra: object = {}): string => errorOf({ 'manifest.json': man({ ...extra, projects }) });

describe('manifest errors name the file and the JSON path', () => {
  it('malformed JSON, with line and column', () => {
    expect(errorOf({ 'manifest.json': '{\n  "manifest": {\n    "projects": [,]\n  }\n}' })).toBe('WS/manifest.json:3:18: invalid JSON: unexpected ","');
    expect(errorOf({ 'manifest.json': '{\n  "manifest": {}\n' })).toBe("WS/manifest.json:3:1: invalid JSON: expected ',' or '}', got end of input");
    expect(errorOf({ 'manifest.json': '{ "manifest": { "projects": [], } }' })).toBe("WS/manifest.json:1:33: invalid JSON: trailing comma before '}'");
    expect(errorOf({ 'manifest.json': '{ "manifest": { "projects": [{ name: "a" }] } }' })).toBe('WS/manifest.json:1:32: invalid JSON: expected a property name in double quotes, got "n"');
    expect(errorOf({ 'manifest.json': '{ "manifest": {} } x' })).toBe('WS/manifest.json:1:20: invalid JSON: unexpected "x" after the JSON value');
    // A byte order mark is tolerated.
    expect(() => loadManifest(workspace({ 'manifest.json': '\uFEFF{ "manifest": {} }' }))).not.toThrow();
  });

  it('a missing file, or a file without the manifest key', () => {
    expect(errorOf({ 'other.json': '{}' })).toBe('WS/manifest.json: manifest file not found');
    expect(errorOf({ 'manifest.json': '[]' })).toBe("WS/manifest.json: (top level): expected an object with a 'manifest' key, got an array");
    expect(errorOf({ 'manifest.json': { projects: [] } })).toBe('WS/manifest.json: manifest: required');
  });

  it('unknown keys, with a suggestion for near misses', () => {
    expect(projectsError([{ name: 'a', url: 'u', revsion: 'x' }])).toBe("WS/manifest.json: manifest.projects[0]: unknown key 'revsion' (did you mean 'revision'?)");
    expect(errorOf({ 'manifest.json': man({ projectz: [] }) })).toBe("WS/manifest.json: manifest: unknown key 'projectz' (did you mean 'projects'?)");
    expect(errorOf({ 'manifest.json': man({ zzzzzz: 1 }) })).toBe(
      "WS/manifest.json: manifest: unknown key 'zzzzzz' (allowed: version, defaults, remotes, projects, self, group-filter)",
    );
    expect(errorOf({ 'manifest.json': man({ remotes: [{ name: 'r', url: 'x' }] }) })).toBe(
      "WS/manifest.json: manifest.remotes[0]: unknown key 'url' (allowed: name, url-base)",
    );
    expect(errorOf({ 'manifest.json': man({ defaults: { revison: 'x' } }) })).toBe("WS/manifest.json: manifest.defaults: unknown key 'revison' (did you mean 'revision'?)");
    expect(errorOf({ 'manifest.json': man({ self: { paht: 'x' } }) })).toBe("WS/manifest.json: manifest.self: unknown key 'paht' (did you mean 'path'?)");
    expect(projectsError([{ name: 'a', url: 'u', import: { files: 'x' } }])).toBe("WS/manifest.json: manifest.projects[0].import: unknown key 'files' (did you mean 'file'?)");
  });

  it('wrong types and missing required fields', () => {
    expect(projectsError([{ name: 'a', url: 'u' }, { name: 'b', url: 'u' }, { url: 'u' }])).toBe('WS/manifest.json: manifest.projects[2].name: required');
    expect(errorOf({ 'manifest.json': man({ projects: {} }) })).toBe('WS/manifest.json: manifest.projects: expected an array, got an object');
    expect(projectsError([{ name: 7, url: 'u' }])).toBe('WS/manifest.json: manifest.projects[0].name: expected a string, got 7');
    expect(projectsError(['a'])).toBe('WS/manifest.json: manifest.projects[0]: expected an object, got "a"');
    expect(projectsError([{ name: 'a', url: 'u', 'clone-depth': '3' }])).toBe('WS/manifest.json: manifest.projects[0].clone-depth: expected a positive integer, got "3"');
    expect(projectsError([{ name: 'a', url: 'u', groups: 'g' }])).toBe('WS/manifest.json: manifest.projects[0].groups: expected an array, got "g"');
    expect(projectsError([{ name: 'a', url: 'u', submodules: [{ name: 's' }] }])).toBe('WS/manifest.json: manifest.projects[0].submodules[0].path: required');
    expect(projectsError([{ name: 'a', url: 'u', submodules: 'yes' }])).toBe('WS/manifest.json: manifest.projects[0].submodules: expected an array, got "yes"');
    expect(projectsError([{ name: 'a', url: 'u', import: 3 }])).toBe('WS/manifest.json: manifest.projects[0].import: expected true/false, a path, an object or an array, got 3');
    expect(projectsError([{ name: 'a', url: 'u', import: { 'name-allowlist': [1] } }])).toBe('WS/manifest.json: manifest.projects[0].import.name-allowlist[0]: expected a string, got 1');
    expect(projectsError([{ name: 'a', url: 'u', import: '' }])).toBe('WS/manifest.json: manifest.projects[0].import: must not be empty');
    expect(errorOf({ 'manifest.json': man({ self: { import: ['a.json', { file: '' }] } }) })).toBe('WS/manifest.json: manifest.self.import[1].file: must not be empty');
    expect(projectsError([{ name: 'a', url: 'u', revision: true }])).toBe('WS/manifest.json: manifest.projects[0].revision: expected a string, got true');
    expect(errorOf({ 'manifest.json': man({ remotes: [{ name: 'r' }] }) })).toBe('WS/manifest.json: manifest.remotes[0].url-base: required');
    expect(errorOf({ 'manifest.json': man({ defaults: { remote: 1 } }) })).toBe('WS/manifest.json: manifest.defaults.remote: expected a string, got 1');
    expect(errorOf({ 'manifest.json': man({ self: { path: '' } }) })).toBe('WS/manifest.json: manifest.self.path: must not be empty');
    expect(errorOf({ 'manifest.json': man({ self: { import: true } }) })).toBe('WS/manifest.json: manifest.self.import: must be a path, an object or an array, not a boolean');
  });

  it('bad project names', () => {
    expect(projectsError([{ name: 'manifest', url: 'u' }])).toBe("WS/manifest.json: manifest.projects[0].name: 'manifest' is reserved for the manifest repository");
    expect(projectsError([{ name: 'a/b', url: 'u' }])).toBe("WS/manifest.json: manifest.projects[0].name: invalid project name 'a/b': names must not contain '/' or '\\'");
    expect(projectsError([{ name: '', url: 'u' }])).toBe('WS/manifest.json: manifest.projects[0].name: must not be empty');
  });

  it('versions: too new, or not one of west\'s', () => {
    expect(errorOf({ 'manifest.json': man({ version: '9.1' }) })).toBe('WS/manifest.json: manifest.version: this manifest needs schema version 9.1, newer than zsim supports (1.2)');
    expect(errorOf({ 'manifest.json': man({ version: '0.1' }) })).toMatch(/^WS\/manifest\.json: manifest\.version: invalid version "0\.1"; must be one of: 0\.6\.99, 0\.7, .*1\.2$/);
    expect(errorOf({ 'manifest.json': man({ version: 0.1 }) })).toMatch(/quote it: JSON numbers lose trailing zeros, e\.g\. "0\.10"\)$/);
    // Checked before the keys, as a newer schema may add keys.
    expect(errorOf({ 'manifest.json': man({ version: '2.0', 'new-key': 1 }) })).toMatch(/manifest\.version: this manifest needs schema version 2\.0/);
    expect(() => loadManifest(workspace({ 'manifest.json': man({ version: 0.7 }) }))).not.toThrow();
  });

  it('duplicate project names (in one file), remote names and paths', () => {
    expect(projectsError([{ name: 'a', url: 'u' }, { name: 'b', url: 'u' }, { name: 'a', url: 'v', path: 'a2' }])).toBe(
      "WS/manifest.json: manifest.projects[2].name: duplicate project name 'a' (also manifest.projects[0])",
    );
    expect(errorOf({ 'manifest.json': man({ remotes: [{ name: 'r', 'url-base': 'x' }, { name: 'r', 'url-base': 'y' }] }) })).toBe(
      "WS/manifest.json: manifest.remotes[1].name: duplicate remote name 'r' (also manifest.remotes[0])",
    );
    expect(projectsError([{ name: 'a', url: 'u', path: 'm/x' }, { name: 'b', url: 'u', path: 'm//x/' }])).toBe(
      "WS/manifest.json: manifest.projects[1].path: project 'b' path 'm/x' is taken by project 'a' (manifest.projects[0])",
    );
    expect(errorOf({
      'manifest.json': man({ projects: [{ name: 'a', url: 'u', import: true }] }),
      'a/manifest.json': man({ projects: [{ name: 'b', url: 'u', path: 'a' }] }),
    })).toBe("WS/a/manifest.json: manifest.projects[0].path: project 'b' path 'a' is taken by project 'a' (manifest.projects[0] in WS/manifest.json)");
    expect(projectsError([{ name: 'a', url: 'u', path: '.' }])).toBe("WS/manifest.json: manifest.projects[0].path: project 'a' path '.' is taken by the manifest repository");
  });

  it('unknown remotes, url with remote or repo-path, and no way to get a url', () => {
    const remotes = [{ name: 'r1', 'url-base': 'x' }, { name: 'r2', 'url-base': 'y' }];
    expect(projectsError([{ name: 'a', remote: 'nope' }], { remotes })).toBe("WS/manifest.json: manifest.projects[0].remote: unknown remote 'nope' (defined remotes: r1, r2)");
    expect(projectsError([], { remotes, defaults: { remote: 'r3' } })).toBe("WS/manifest.json: manifest.defaults.remote: unknown remote 'r3' (defined remotes: r1, r2)");
    expect(projectsError([{ name: 'a' }], { defaults: { remote: 'r' } })).toBe("WS/manifest.json: manifest.defaults.remote: unknown remote 'r' (no remotes are defined)");
    expect(projectsError([{ name: 'a', remote: 'r1', url: 'https://x' }], { remotes })).toBe("WS/manifest.json: manifest.projects[0]: 'url' and 'remote' cannot both be given");
    expect(projectsError([{ name: 'a', url: 'https://x', 'repo-path': 'b' }], { remotes })).toBe("WS/manifest.json: manifest.projects[0]: 'url' and 'repo-path' cannot both be given");
    expect(projectsError([{ name: 'a' }], { remotes })).toBe("WS/manifest.json: manifest.projects[0]: no 'url' or 'remote', and no default remote (manifest.defaults.remote)");
  });

  it('paths escaping the workspace or the project, and absolute paths', () => {
    expect(projectsError([{ name: 'a', url: 'u', path: 'x/../../out' }])).toMatch(/^WS\/manifest\.json: manifest\.projects\[0\]\.path: 'x\/\.\.\/\.\.\/out' escapes the workspace \(/);
    expect(projectsError([{ name: 'a', url: 'u', import: { 'path-prefix': '..' } }])).toMatch(/^WS\/manifest\.json: manifest\.projects\[0\]\.path: '\.\.\/a' escapes the workspace/);
    expect(projectsError([{ name: 'a', url: 'u', path: '/abs/a' }])).toMatch(/^WS\/manifest\.json: manifest\.projects\[0\]\.path: '\/abs\/a' is absolute; project paths are relative to the workspace/);
    expect(errorOf({
      'manifest.json': man({ projects: [{ name: 'a', url: 'u', import: '../manifest.json' }] }),
      'a/': '',
    })).toBe("WS/manifest.json: manifest.projects[0].import: '../manifest.json' escapes project 'a' (a)");
    expect(errorOf({ 'manifest.json': man({ self: { import: '/etc/x.json' } }) })).toBe(
      "WS/manifest.json: manifest.self.import: '/etc/x.json' is an absolute path; imports are relative to the manifest repository",
    );
    expect(errorOf({ 'app/manifest.json': man({ self: { path: 'elsewhere' } }) }, 'app/manifest.json')).toMatch(
      /^WS\/app\/manifest\.json: manifest\.self\.path: 'elsewhere' does not match the manifest's folder/,
    );
  });

  it('imports of missing files', () => {
    expect(errorOf({
      'manifest.json': man({ projects: [{ name: 'a', url: 'u', import: 'sub.json' }] }),
      'a/': '',
    })).toBe("WS/manifest.json: manifest.projects[0].import: cannot import 'sub.json': not found in project 'a' (a) (WS/a/sub.json)");
    expect(errorOf({ 'manifest.json': man({ self: { import: ['x.json'] } }) })).toBe(
      "WS/manifest.json: manifest.self.import[0]: cannot import 'x.json': not found in the manifest repository (WS/x.json)",
    );
  });

  it('import cycles', () => {
    expect(errorOf({ 'manifest.json': man({ self: { import: 'manifest.json' } }) })).toBe(
      'WS/manifest.json: manifest.self.import: import cycle: WS/manifest.json -> WS/manifest.json',
    );
    expect(errorOf({
      'manifest.json': man({ self: { import: 'a.json' } }),
      'a.json': man({ self: { import: 'b.json' } }),
      'b.json': man({ self: { import: { file: 'a.json' } } }),
    })).toBe('WS/b.json: manifest.self.import: import cycle: WS/a.json -> WS/b.json -> WS/a.json');
    // Through a project: its manifest.json imports itself from the project folder.
    expect(errorOf({
      'manifest.json': man({ projects: [{ name: 'p', url: 'u', import: true }] }),
      'p/manifest.json': man({ self: { import: 'sub' } }),
      'p/sub/x.json': man({ self: { import: 'manifest.json' } }),
    })).toBe('WS/p/sub/x.json: manifest.self.import: import cycle: WS/p/manifest.json -> WS/p/sub/x.json -> WS/p/manifest.json');
  });

  it('bad groups and group filters', () => {
    expect(projectsError([{ name: 'a', url: 'u', groups: ['ok', '-bad'] }])).toBe(
      `WS/manifest.json: manifest.projects[0].groups[1]: invalid group "-bad": a group must be nonempty, must not start with '+' or '-', and must not contain whitespace, ',' or ':'`,
    );
    expect(projectsError([{ name: 'a', url: 'u', groups: ['a b'] }])).toMatch(/groups\[0\]: invalid group "a b"/);
    expect(errorOf({ 'manifest.json': man({ 'group-filter': ['ga'] }) })).toBe(
      `WS/manifest.json: manifest.group-filter[0]: invalid item "ga": must begin with '+' (enable) or '-' (disable)`,
    );
    expect(errorOf({ 'manifest.json': man({ 'group-filter': [] }) })).toBe('WS/manifest.json: manifest.group-filter: must not be empty');
    expect(errorOf({ 'manifest.json': man({ 'group-filter': ['-a:b'] }) })).toMatch(/group-filter\[0\]: invalid group "a:b"/);
    expect(projectsError([{ name: 'a', url: 'u', groups: ['g'], import: true }])).toBe("WS/manifest.json: manifest.projects[0]: 'groups' cannot be combined with 'import'");
  });

  it('errors in imported files name the imported file', () => {
    expect(errorOf({
      'manifest.json': man({ projects: [{ name: 'a', url: 'u', import: true }] }),
      'a/manifest.json': man({ projects: [{ url: 'u' }] }),
    })).toBe('WS/a/manifest.json: manifest.projects[0].name: required');
  });

  it('ManifestError carries the file and JSON path', () => {
    const ws = workspace({ 'manifest.json': man({ projects: [{}] }) });
    try {
      loadManifest(ws);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestError);
      expect(e).toMatchObject({ file: path.join(ws, 'manifest.json'), at: 'manifest.projects[0].name', detail: 'required', name: 'ManifestError' });
    }
  });
});
