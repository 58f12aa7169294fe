import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanPath, loadManifest, pathMatches, resolvedManifestJson, type Manifest, type Project } from '../../src/build/manifest.ts';
import { man, workspace } from './helpers.ts';

const byName = (m: Manifest, name: string): Project => {
  const p = m.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no project ${name}`);
  return p;
};
const names = (m: Manifest): string[] => m.projects.map((p) => p.name);

describe('manifest resolution: defaults and remotes', () => {
  it('builds url from remote url-base + repo-path (default: name), applies defaults, else master', () => {
    const ws = workspace({
      'manifest.json': man({
        remotes: [{ name: 'gh', 'url-base': 'https://github.com/org' }, { name: 'other', 'url-base': 'https://x.org' }],
        defaults: { remote: 'gh', revision: 'v1.0' },
        projects: [
          { name: 'a' },
          { name: 'b', remote: 'other', 'repo-path': 'r/b', revision: 'dev', path: 'deps/b' },
          { name: 'c', url: 'https://c.example/c.git' },
        ],
      }),
      'other/manifest.json': man({ projects: [{ name: 'd', url: 'https://d.example/d' }] }),
    });
    const m = loadManifest(path.join(ws, 'manifest.json'));
    expect(m.topdir).toBe(ws);
    expect(byName(m, 'a')).toMatchObject({ url: 'https://github.com/org/a', revision: 'v1.0', path: 'a', remote: 'gh', abspath: path.join(ws, 'a') });
    expect(byName(m, 'b')).toMatchObject({ url: 'https://x.org/r/b', revision: 'dev', path: 'deps/b', remote: 'other' });
    expect(byName(m, 'c')).toMatchObject({ url: 'https://c.example/c.git', revision: 'v1.0', remote: null });
    // No defaults.revision: west's default, master.
    expect(byName(loadManifest(path.join(ws, 'other')), 'd').revision).toBe('master');
  });

  it('puts the manifest repository first as project "manifest" (HEAD, no url)', () => {
    const ws = workspace({ 'manifest.json': man({ projects: [{ name: 'a', url: 'u' }] }) });
    const m = loadManifest(ws);
    expect(names(m)).toEqual(['manifest', 'a']);
    expect(m.projects[0]).toMatchObject({ name: 'manifest', path: '.', revision: 'HEAD', url: '', abspath: ws, isManifest: true, active: true, cloned: true });
  });

  it('self.path names the manifest repository inside the workspace: project paths are relative to its parent', () => {
    const ws = workspace({ 'app/manifest.json': man({ projects: [{ name: 'lib', url: 'u', path: 'modules/lib' }], self: { path: 'app', userdata: { k: 1 } } }) });
    const m = loadManifest(path.join(ws, 'app'));
    expect(m.topdir).toBe(ws);
    expect(m.projects[0]).toMatchObject({ path: 'app', abspath: path.join(ws, 'app'), userdata: { k: 1 } });
    expect(byName(m, 'lib').abspath).toBe(path.join(ws, 'modules/lib'));
    expect(resolvedManifestJson(m).manifest.self).toEqual({ path: 'app', userdata: { k: 1 } });
  });

  it('keeps groups, submodules, clone-depth, west-commands, userdata and description; resolve output as west', () => {
    const ws = workspace({
      'manifest.json': man({
        version: '1.2',
        remotes: [{ name: 'r', 'url-base': 'https://r' }],
        defaults: { remote: 'r' },
        projects: [
          { name: 'a', description: 'A', groups: ['g1', 2], submodules: true, 'clone-depth': 1, 'west-commands': 'cmds.yml', userdata: { x: [1] } },
          { name: 'b', path: 'b', submodules: [{ path: 'sub', name: 's' }, { path: 'sub2' }] },
        ],
      }),
    });
    const m = loadManifest(ws);
    expect(byName(m, 'a')).toMatchObject({ groups: ['g1', '2'], submodules: true, cloneDepth: 1, westCommands: ['cmds.yml'], userdata: { x: [1] }, description: 'A' });
    expect(resolvedManifestJson(m)).toEqual({
      manifest: {
        projects: [
          { name: 'a', description: 'A', url: 'https://r/a', revision: 'master', 'clone-depth': 1, 'west-commands': 'cmds.yml', groups: ['g1', '2'], submodules: true, userdata: { x: [1] } },
          { name: 'b', url: 'https://r/b', revision: 'master', submodules: [{ path: 'sub', name: 's' }, { path: 'sub2' }] },
        ],
        self: {},
      },
    });
  });

  it('normalizes project paths like pathlib (./x/, x//y)', () => {
    const ws = workspace({ 'manifest.json': man({ projects: [{ name: 'a', url: 'u', path: './mods//a/' }] }) });
    expect(byName(loadManifest(ws), 'a').path).toBe('mods/a');
    expect(cleanPath('', '.', 'a/../b')).toBe('a/../b');
  });
});

describe('manifest resolution: imports', () => {
  it('import: true reads the project\'s manifest.json with its own remotes/defaults; imported projects come after', () => {
    const ws = workspace({
      'manifest.json': man({ projects: [{ name: 'child', url: 'https://c/child', import: true }, { name: 'own', url: 'https://o/own' }] }),
      'child/manifest.json': man({
        remotes: [{ name: 'up', 'url-base': 'https://up' }],
        defaults: { remote: 'up', revision: 'v2' },
        projects: [{ name: 'p1' }, { name: 'own', url: 'https://ignored' }],
      }),
    });
    const m = loadManifest(ws);
    expect(names(m)).toEqual(['manifest', 'child', 'own', 'p1']);
    expect(byName(m, 'p1')).toMatchObject({ url: 'https://up/p1', revision: 'v2', path: 'p1' });
    // First definition wins, as in west.
    expect(byName(m, 'own').url).toBe('https://o/own');
    expect(resolvedManifestJson(m).manifest.projects).toHaveLength(3);
  });

  it('imports a named file, a folder of *.json files (sorted), and lists of both', () => {
    const ws = workspace({
      'manifest.json': man({
        projects: [
          { name: 'a', url: 'u', import: 'west/extra.json' },
          { name: 'b', url: 'u', import: 'subs' },
          { name: 'c', url: 'u', import: ['one.json', { file: 'two.json' }] },
        ],
      }),
      'a/west/extra.json': man({ projects: [{ name: 'a1', url: 'u' }] }),
      'b/subs/20.json': man({ projects: [{ name: 'b20', url: 'u' }] }),
      'b/subs/10.json': man({ projects: [{ name: 'b10', url: 'u' }] }),
      'b/subs/notes.txt': 'not a manifest',
      'c/one.json': man({ projects: [{ name: 'c1', url: 'u' }] }),
      'c/two.json': man({ projects: [{ name: 'c2', url: 'u' }] }),
    });
    expect(names(loadManifest(ws))).toEqual(['manifest', 'a', 'b', 'c', 'a1', 'b10', 'b20', 'c1', 'c2']);
  });

  it('import maps: name/path allow- and blocklists, and path-prefix (which also moves the importing project)', () => {
    const child = man({
      projects: [
        { name: 'keep', url: 'u' },
        { name: 'drop', url: 'u' },
        { name: 'hal_a', url: 'u', path: 'hal/a' },
        { name: 'hal_b', url: 'u', path: 'hal/b' },
      ],
    });
    const ws = workspace({
      'manifest.json': man({
        projects: [
          { name: 'x', url: 'u', import: { 'name-allowlist': ['keep'], 'path-allowlist': 'hal/*' } },
          { name: 'y', url: 'u', path: 'y', import: { 'path-blocklist': ['hal/*'], 'name-allowlist': ['hal_c', 'y1'], 'path-prefix': 'pre' } },
          { name: 'w', url: 'u', import: { 'name-blocklist': 'drop2' } },
        ],
      }),
      'x/manifest.json': child,
      'pre/y/manifest.json': man({
        projects: [
          { name: 'y1', url: 'u' },
          { name: 'y2', url: 'u' },
          { name: 'hal_c', url: 'u', path: 'hal/c' },
          { name: 'hal_d', url: 'u', path: 'hal/d' },
        ],
      }),
      'w/manifest.json': man({ projects: [{ name: 'w1', url: 'u' }, { name: 'drop2', url: 'u' }] }),
    });
    const m = loadManifest(ws);
    // x: allowlists keep only 'keep' and hal/*; y: hal/* is blocked unless allowed by name, and
    // with an allowlist present nothing else passes (y2); w: a blocklist alone drops just its names.
    expect(names(m)).toEqual(['manifest', 'x', 'y', 'w', 'keep', 'hal_a', 'hal_b', 'y1', 'hal_c', 'w1']);
    expect(byName(m, 'y').path).toBe('pre/y');
    expect(byName(m, 'y1').path).toBe('pre/y1');
    expect(byName(m, 'hal_c').path).toBe('pre/hal/c');
    expect(pathMatches('modules/hal/nxp', 'hal/*')).toBe(true);
    expect(pathMatches('hal/nxp', 'modules/hal/*')).toBe(false);
    expect(pathMatches('hal/nxp', 'hal/[!a]xp')).toBe(true);
  });

  it('resolves nested imports depth first and gives an imported self.west-commands to the project', () => {
    const ws = workspace({
      'manifest.json': man({ projects: [{ name: 'a', url: 'u', import: true }, { name: 'z', url: 'u' }] }),
      'a/manifest.json': man({ projects: [{ name: 'b', url: 'u', import: true }], self: { 'west-commands': 'scripts/cmds.yml' } }),
      'b/manifest.json': man({ projects: [{ name: 'c', url: 'u' }, { name: 'a', url: 'other' }] }),
    });
    const m = loadManifest(ws);
    expect(names(m)).toEqual(['manifest', 'a', 'z', 'b', 'c']);
    expect(byName(m, 'a')).toMatchObject({ url: 'u', westCommands: ['scripts/cmds.yml'] });
  });

  it('self: import: files are read first, so their projects win; paths are relative to the manifest repository', () => {
    const ws = workspace({
      'app/manifest.json': man({
        projects: [{ name: 'p', url: 'from-top' }, { name: 'q', url: 'u' }],
        self: { path: 'app', import: ['sub/a.json', { file: 'more', 'name-blocklist': ['r2'] }], 'west-commands': 'top.yml' },
      }),
      'app/sub/a.json': man({ projects: [{ name: 'p', url: 'from-self' }], self: { 'west-commands': 'sub.yml' } }),
      'app/more/r.json': man({ projects: [{ name: 'r1', url: 'u' }, { name: 'r2', url: 'u' }] }),
    });
    const m = loadManifest(path.join(ws, 'app/manifest.json'));
    expect(names(m)).toEqual(['manifest', 'p', 'r1', 'q']);
    expect(byName(m, 'p').url).toBe('from-self');
    expect(m.projects[0]!.westCommands).toEqual(['sub.yml', 'top.yml']);
  });

  it('skips (with a warning) the import of a project that is not cloned; false or [] imports nothing', () => {
    const ws = workspace({
      'manifest.json': man({
        projects: [
          { name: 'gone', url: 'u', import: ['a.json', 'b.json'] },
          { name: 'b', url: 'u', import: false, groups: ['g'] },
          { name: 'c', url: 'u', import: [], groups: ['g'] },
        ],
      }),
      'b/manifest.json': man({ projects: [{ name: 'never', url: 'u' }] }),
      'c/manifest.json': man({ projects: [{ name: 'never2', url: 'u' }] }),
    });
    const m = loadManifest(ws);
    expect(names(m)).toEqual(['manifest', 'gone', 'b', 'c']);
    expect(byName(m, 'gone').cloned).toBe(false);
    expect(m.warnings).toEqual([`${path.join(ws, 'manifest.json')}: manifest.projects[0].import: project 'gone' (gone) is not cloned; its import is skipped`]);
  });
});

describe('manifest resolution: groups', () => {
  const projects = [
    { name: 'nogroup', url: 'u' },
    { name: 'a', url: 'u', groups: ['ga'] },
    { name: 'ab', url: 'u', groups: ['ga', 'gb'] },
    { name: 'c', url: 'u', groups: ['gc'] },
  ];
  const active = (m: Manifest): string[] => m.projects.filter((p) => p.active).map((p) => p.name);

  it('-group disables a group; a project is active unless all its groups are disabled', () => {
    const m = loadManifest(workspace({ 'manifest.json': man({ projects, 'group-filter': ['-ga', '-gc', '+gc'] }) }));
    expect(active(m)).toEqual(['manifest', 'nogroup', 'ab', 'c']);
    expect(m.groupFilter).toEqual(['-ga']);
    expect(resolvedManifestJson(m).manifest['group-filter']).toEqual(['-ga']);
    const all = loadManifest(workspace({ 'manifest.json': man({ projects, 'group-filter': ['-ga', '-gb'] }) }));
    expect(active(all)).toEqual(['manifest', 'nogroup', 'c']);
  });

  it('an imported group-filter applies, and the importing manifest overrides it (west docs examples 1 and 2)', () => {
    const child = man({
      'group-filter': ['-unstable'],
      projects: [{ name: 'project-2', url: 'u', groups: ['optional'] }, { name: 'project-3', url: 'u', groups: ['unstable'] }],
    });
    const parent = (extra: object): object =>
      man({ ...extra, projects: [{ name: 'child', url: 'u', import: true }, { name: 'project-1', url: 'u', groups: ['unstable'] }] });
    const ex1 = loadManifest(workspace({ 'manifest.json': parent({}), 'child/manifest.json': child }));
    expect(active(ex1)).toEqual(['manifest', 'child', 'project-2']);
    expect(ex1.groupFilter).toEqual(['-unstable']);
    const ex2 = loadManifest(workspace({ 'manifest.json': parent({ 'group-filter': ['+unstable', '-optional'] }), 'child/manifest.json': child }));
    expect(active(ex2)).toEqual(['manifest', 'child', 'project-1', 'project-3']);
    expect(ex2.groupFilter).toEqual(['-optional']);
  });

  it('a self-imported file\'s group-filter takes precedence over the importing file (it is loaded first)', () => {
    const ws = workspace({
      'manifest.json': man({ projects, 'group-filter': ['-ga', '-gb'], self: { import: 'extra.json' } }),
      'extra.json': man({ 'group-filter': ['+gb'] }),
    });
    expect(active(loadManifest(ws))).toEqual(['manifest', 'nogroup', 'ab', 'c']);
  });
});
