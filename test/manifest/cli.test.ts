import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readGitHead } from '../../src/build/manifest.ts';
import { ROOT, zsim } from '../helpers/cli.ts';
import { addFiles, man, workspace } from './helpers.ts';

const NA = 'N/A'.padEnd(40);

/** A workspace with three projects (one in a disabled group) and a sub folder to run from. */
function sampleWorkspace(): string {
  return workspace({
    'manifest.json': man({
      version: '1.2',
      remotes: [{ name: 'gh', 'url-base': 'https://github.com/org' }],
      defaults: { remote: 'gh', revision: 'main' },
      'group-filter': ['-opt'],
      projects: [
        { name: 'alpha', path: 'modules/alpha' },
        { name: 'beta', groups: ['opt'], revision: 'v1.2.3' },
        { name: 'gamma', url: 'https://example.com/gamma.git' },
      ],
    }),
    'modules/alpha/src/': '',
    'sub/dir/': '',
  });
}

describe('zsim list', () => {
  it('lists zsim\'s own manifest in west list\'s default format', () => {
    const r = zsim(['list']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'manifest     .                            HEAD                                     N/A\n' +
        'zsim-example modules/zsim-example         main                                     https://example.com/zsim/zsim-example\n',
      stderr: '',
    });
  });

  it('-f FORMAT picks the fields; sha is HEAD of a git checkout, else N/A', () => {
    const r = zsim(['list', '-f', '{name}:{path}:{sha}:{groups}:{clone_depth}']);
    expect(r.code).toBe(0);
    const rootSha = existsSync(path.join(ROOT, '.git')) ? readGitHead(ROOT) ?? NA : NA;
    expect(r.stdout).toBe(`manifest:.:${rootSha}::None\nzsim-example:modules/zsim-example:${NA}::None\n`);
    expect(zsim(['list', '--format', '{abspath}', 'zsim-example']).stdout).toBe(path.join(ROOT, 'modules/zsim-example') + '\n');
  });

  it('finds manifest.json by walking up from the current folder; --all adds inactive projects', () => {
    const ws = sampleWorkspace();
    const r = zsim(['list'], { cwd: path.join(ws, 'sub/dir') });
    expect(r).toEqual({
      code: 0,
      stdout:
        'manifest     .                            HEAD                                     N/A\n' +
        'alpha        modules/alpha                main                                     https://github.com/org/alpha\n' +
        'gamma        gamma                        main                                     https://example.com/gamma.git\n',
      stderr: '',
    });
    expect(zsim(['list', '--all', '-f', '{name} {cloned}'], { cwd: ws }).stdout).toBe('manifest cloned\nalpha cloned\nbeta not-cloned\ngamma not-cloned\n');
    // Named projects are listed even when inactive.
    expect(zsim(['list', '-f', '{name} {revision} {groups}', 'beta'], { cwd: ws }).stdout).toBe('beta v1.2.3 opt\n');
  });

  it('--manifest FILE chooses the manifest; a foreign manifest.json (no "manifest" key) is skipped', () => {
    const ws = sampleWorkspace();
    expect(zsim(['list', '-f', '{name}', '--manifest', path.join(ws, 'manifest.json')]).stdout).toBe('manifest\nalpha\ngamma\n');
    expect(zsim(['list', '-f', '{name}', '--manifest', ws]).stdout).toBe('manifest\nalpha\ngamma\n');
    addFiles(ws, { 'sub/manifest.json': { name: 'a web app', icons: [] } });
    expect(zsim(['list', '-f', '{name}'], { cwd: path.join(ws, 'sub') }).stdout).toBe('manifest\nalpha\ngamma\n');
  });

  it('falls back to zsim\'s own manifest outside any workspace', () => {
    const dir = workspace({});
    expect(zsim(['list', '-f', '{name} {abspath}'], { cwd: dir }).stdout).toBe(`manifest ${ROOT}\nzsim-example ${path.join(ROOT, 'modules/zsim-example')}\n`);
  });

  it('unknown projects and bad format strings are usage errors (exit 2)', () => {
    const ws = sampleWorkspace();
    expect(zsim(['list', 'nope'], { cwd: ws })).toEqual({ code: 2, stdout: '', stderr: 'zsim: error: unknown project name/path: nope\n' });
    expect(zsim(['list', '-f', '{name} {bogus}'], { cwd: ws })).toEqual({
      code: 2,
      stdout: '',
      stderr: `zsim: error: unknown key "bogus" in format string '{name} {bogus}'\n`,
    });
  });

  it('prints warnings on stderr (an import from a project that is not cloned)', () => {
    const ws = workspace({ 'manifest.json': man({ projects: [{ name: 'gone', url: 'u', import: true }] }) });
    const r = zsim(['list', '-f', '{name}'], { cwd: ws });
    expect(r).toEqual({
      code: 0,
      stdout: 'manifest\ngone\n',
      stderr: "zsim: warning: manifest.json: manifest.projects[0].import: project 'gone' (gone) is not cloned; its import is skipped\n",
    });
  });
});

describe('zsim manifest', () => {
  it('--resolve prints the resolved manifest as JSON (imports merged, urls and revisions explicit)', () => {
    const ws = sampleWorkspace();
    addFiles(ws, {
      'modules/alpha/manifest.json': man({ projects: [{ name: 'delta', url: 'https://d/delta', revision: 'v9' }, { name: 'gamma', url: 'https://ignored' }] }),
    });
    const top = JSON.parse(readFileSync(path.join(ws, 'manifest.json'), 'utf8')) as { manifest: { projects: { name: string; import?: boolean }[] } };
    top.manifest.projects[0]!.import = true;
    addFiles(ws, { 'manifest.json': top });
    const r = zsim(['manifest', '--resolve'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      manifest: {
        'group-filter': ['-opt'],
        projects: [
          { name: 'alpha', url: 'https://github.com/org/alpha', revision: 'main', path: 'modules/alpha' },
          { name: 'beta', url: 'https://github.com/org/beta', revision: 'v1.2.3', groups: ['opt'] },
          { name: 'gamma', url: 'https://example.com/gamma.git', revision: 'main' },
          { name: 'delta', url: 'https://d/delta', revision: 'v9' },
        ],
        self: {},
      },
    });
    // The resolved manifest is itself a valid manifest with the same projects.
    const again = workspace({ 'manifest.json': r.stdout });
    expect(zsim(['manifest', '--resolve'], { cwd: again }).stdout).toBe(r.stdout);
    expect(zsim(['manifest', '--resolve', '-o', path.join(again, 'out.json')], { cwd: ws }).stdout).toBe('');
    expect(readFileSync(path.join(again, 'out.json'), 'utf8')).toBe(r.stdout);
  });

  it('--resolve on zsim\'s own manifest', () => {
    const r = zsim(['manifest', '--resolve']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      manifest: {
        projects: [
          {
            name: 'zsim-example',
            description: 'Example Zephyr module: a Kconfig symbol, a board and a sample',
            url: 'https://example.com/zsim/zsim-example',
            revision: 'main',
            path: 'modules/zsim-example',
          },
        ],
        self: { path: '.' },
      },
    });
  });

  it('--validate prints nothing and exits 0 for a valid manifest', () => {
    expect(zsim(['manifest', '--validate'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(zsim(['manifest', '--validate'], { cwd: sampleWorkspace() })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--validate reports an invalid manifest with the file and JSON path, exit 2', () => {
    const cases: [object | string, string | RegExp][] = [
      [man({ projects: [{ name: 'a', url: 'u' }, { name: 'b', url: 'u' }, { url: 'u' }] }), 'manifest.json: manifest.projects[2].name: required'],
      ['{\n  "manifest": {\n    "projects": [,]\n  }\n}', 'manifest.json:3:18: invalid JSON: unexpected ","'],
      [man({ projects: [{ name: 'a', url: 'u', revison: 'x' }] }), "manifest.json: manifest.projects[0]: unknown key 'revison' (did you mean 'revision'?)"],
      [man({ projects: [{ name: 'a', url: 'u', path: '../out' }] }), /^manifest\.json: manifest\.projects\[0\]\.path: '\.\.\/out' escapes the workspace/],
      [man({ projects: [{ name: 'a', remote: 'r' }] }), "manifest.json: manifest.projects[0].remote: unknown remote 'r' (no remotes are defined)"],
      [man({ self: { import: 'manifest.json' } }), 'manifest.json: manifest.self.import: import cycle: manifest.json -> manifest.json'],
    ];
    for (const [doc, msg] of cases) {
      const ws = workspace({ 'manifest.json': doc });
      const r = zsim(['manifest', '--validate'], { cwd: ws });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      if (typeof msg === 'string') expect(r.stderr).toBe(`zsim: error: ${msg}\n`);
      else expect(r.stderr.replace(/^zsim: error: /, '')).toMatch(msg);
    }
    const ws = sampleWorkspace();
    expect(zsim(['manifest', '--validate', '--manifest', path.join(ws, 'missing.json')]).stderr).toBe(`zsim: error: ${path.join(ws, 'missing.json')}: manifest file not found\n`);
  });

  it('--path prints the manifest file; exactly one action is required', () => {
    const ws = sampleWorkspace();
    expect(zsim(['manifest', '--path'], { cwd: path.join(ws, 'sub') }).stdout).toBe(path.join(ws, 'manifest.json') + '\n');
    expect(zsim(['manifest'])).toMatchObject({ code: 2, stderr: 'zsim: error: give exactly one of --resolve, --validate or --path\n' });
    expect(zsim(['manifest', '--resolve', '--validate']).code).toBe(2);
    expect(zsim(['manifest', '--validate', '-o', 'x.json']).stderr).toBe('zsim: error: --out only goes with --resolve\n');
  });
});

describe('the zsim-example module\'s sample', () => {
  it('runs and sees the module\'s Kconfig symbol from its prj.conf', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'modules/zsim-example/samples/hello_module']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('*** Booting Zephyr OS build zsim-v0.1.0 ***\nzsim-example feature enabled on qemu_x86\n');
  });
});
