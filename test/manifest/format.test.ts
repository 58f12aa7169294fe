import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FormatStringError, loadManifest, pyFormat, readGitHead } from '../../src/build/manifest.ts';
import { DEFAULT_LIST_FORMAT, listProjects } from '../../src/cli/cmd_list.ts';
import { resolvedManifestText } from '../../src/cli/cmd_manifest.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { ROOT } from '../helpers/cli.ts';
import { man, workspace } from './helpers.ts';

const SHA1 = 'a'.repeat(40);
const SHA2 = '0123456789abcdef0123456789abcdef01234567';

describe('pyFormat: Python str.format for named fields', () => {
  it('pads strings left and numbers right; fill, align, precision, escapes', () => {
    expect(pyFormat('{name:6}|{n:4}|{name:>6}|{name:^7}|{name:*<6}|{n:<4}|{name:.2}|{n:04}', { name: 'abc', n: 7 })).toBe(
      'abc   |   7|   abc|  abc  |abc***|7   |ab|0007',
    );
    expect(pyFormat('{{literal}} {x} }}', { x: 'y' })).toBe('{literal} y }');
    expect(pyFormat('{x:2}', { x: 'longer' })).toBe('longer');
  });

  it('evaluates function fields only when used, once', () => {
    let calls = 0;
    const values = { a: 'A', lazy: () => `L${++calls}` };
    expect(pyFormat('{a}', values)).toBe('A');
    expect(calls).toBe(0);
    expect(pyFormat('{lazy} {lazy}', values)).toBe('L1 L1');
  });

  it('rejects unknown keys, positional fields, bad specs and stray braces', () => {
    expect(() => pyFormat('{nope}', {})).toThrow(new FormatStringError('unknown key "nope"'));
    expect(() => pyFormat('{}', {})).toThrow(/positional fields are not supported/);
    expect(() => pyFormat('{x:zz}', { x: 'a' })).toThrow("invalid format spec 'zz' for field 'x'");
    expect(() => pyFormat('{x:d}', { x: 'a' })).toThrow("field 'x' is not a number");
    expect(() => pyFormat('{x', { x: 'a' })).toThrow("single '{'");
    expect(() => pyFormat('x}', {})).toThrow("single '}'");
  });
});

describe('readGitHead', () => {
  it('reads a detached HEAD, a loose ref, a packed ref and a worktree\'s .git file', () => {
    const ws = workspace({
      'detached/.git/HEAD': `${SHA1}\n`,
      'loose/.git/HEAD': 'ref: refs/heads/main\n',
      'loose/.git/refs/heads/main': `${SHA2}\n`,
      'packed/.git/HEAD': 'ref: refs/heads/dev\n',
      'packed/.git/packed-refs': `# pack-refs with: peeled\n${SHA1} refs/heads/other\n${SHA2} refs/heads/dev\n`,
      'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/topic\n',
      'main/.git/worktrees/wt/commondir': '../..\n',
      'main/.git/refs/heads/topic': `${SHA1}\n`,
      'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n',
      'unborn/.git/HEAD': 'ref: refs/heads/main\n',
      'plain/file': '',
    });
    expect(readGitHead(path.join(ws, 'detached'))).toBe(SHA1);
    expect(readGitHead(path.join(ws, 'loose'))).toBe(SHA2);
    expect(readGitHead(path.join(ws, 'packed'))).toBe(SHA2);
    expect(readGitHead(path.join(ws, 'wt'))).toBe(SHA1);
    expect(readGitHead(path.join(ws, 'unborn'))).toBeNull();
    expect(readGitHead(path.join(ws, 'plain'))).toBeNull();
    expect(readGitHead(path.join(ws, 'missing'))).toBeNull();
    if (existsSync(path.join(ROOT, '.git'))) expect(readGitHead(ROOT)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('listProjects (zsim list)', () => {
  const ws = workspace({
    'manifest.json': man({
      remotes: [{ name: 'gh', 'url-base': 'https://github.com/org' }],
      defaults: { remote: 'gh', revision: 'main' },
      'group-filter': ['-opt'],
      projects: [
        { name: 'alpha', path: 'modules/alpha', 'clone-depth': 1 },
        { name: 'beta', groups: ['opt'], revision: 'v1.2.3' },
        { name: 'gamma', url: 'https://example.com/gamma.git', groups: ['opt', 'core'] },
      ],
    }),
    'modules/alpha/.git/HEAD': `${SHA1}\n`,
  });
  const m = loadManifest(ws);

  it('uses west list\'s default format and lists active projects, the manifest repository first', () => {
    expect(DEFAULT_LIST_FORMAT).toBe('{name:12} {path:28} {revision:40} {url}');
    expect(listProjects(m)).toEqual([
      `manifest     .                            HEAD                                     N/A`,
      `alpha        modules/alpha                main                                     https://github.com/org/alpha`,
      `gamma        gamma                        main                                     https://example.com/gamma.git`,
    ]);
  });

  it('--all adds inactive projects; projects named explicitly are listed even if inactive, by name or path', () => {
    expect(listProjects(m, { all: true, format: '{name}' })).toEqual(['manifest', 'alpha', 'beta', 'gamma']);
    expect(listProjects(m, { projects: ['beta', 'modules/alpha'], format: '{name}', cwd: ws })).toEqual(['beta', 'alpha']);
    expect(listProjects(m, { projects: [path.join(ws, 'gamma')], format: '{name}' })).toEqual(['gamma']);
    expect(() => listProjects(m, { projects: ['nope', 'alpha', 'zip'] })).toThrow(new UsageError('unknown project name/path: nope, zip'));
  });

  it('-f offers name, path, abspath, revision, url, groups, clone_depth, sha, cloned, description', () => {
    const fmt = '{name}|{path}|{abspath}|{revision}|{url}|{groups}|{clone_depth}|{sha}|{cloned}|{description}';
    expect(listProjects(m, { all: true, format: fmt })).toEqual([
      `manifest|.|${ws}|HEAD|N/A||None|${'N/A'.padEnd(40)}|cloned|None`,
      `alpha|modules/alpha|${path.join(ws, 'modules/alpha')}|main|https://github.com/org/alpha||1|${SHA1}|cloned|None`,
      `beta|beta|${path.join(ws, 'beta')}|v1.2.3|https://github.com/org/beta|opt|None|${'N/A'.padEnd(40)}|not-cloned|None`,
      `gamma|gamma|${path.join(ws, 'gamma')}|main|https://example.com/gamma.git|opt,core|None|${'N/A'.padEnd(40)}|not-cloned|None`,
    ]);
  });

  it('a bad format string is a usage error naming it', () => {
    expect(() => listProjects(m, { format: '{name} {bogus}' })).toThrow(new UsageError(`unknown key "bogus" in format string '{name} {bogus}'`));
  });

  it('resolve output is the resolved manifest as indented JSON', () => {
    const text = resolvedManifestText(m);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      manifest: {
        'group-filter': ['-opt'],
        projects: [
          { name: 'alpha', url: 'https://github.com/org/alpha', revision: 'main', path: 'modules/alpha', 'clone-depth': 1 },
          { name: 'beta', url: 'https://github.com/org/beta', revision: 'v1.2.3', groups: ['opt'] },
          { name: 'gamma', url: 'https://example.com/gamma.git', revision: 'main', groups: ['opt', 'core'] },
        ],
        self: {},
      },
    });
  });
});
