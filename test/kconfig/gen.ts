/**
 * Seeded generator of random, valid Kconfig trees and .config fragments for
 * differential testing. Dependencies only point at symbols generated
 * earlier, so trees are loop-free unless `allowLoops` is drawn.
 */

/** Small deterministic PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<X>(xs: readonly X[]): X {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

type GType = 'bool' | 'tristate' | 'int' | 'hex' | 'string';

interface GSym {
  name: string;
  type: GType;
  idx: number;
  inChoice: boolean;
  /** Which choice the symbol belongs to (-1 for none). */
  choiceId: number;
}

/** A generated tree: files to write, fragment names in merge order, and interactive steps. */
export interface GeneratedTree {
  files: Record<string, string>;
  fragments: string[];
  ops: Array<['set', string, string] | ['unset', string] | ['snapshot']>;
}

class Gen {
  readonly syms: GSym[] = [];
  /** Lines of the file currently being generated (swapped while emitting sourced files). */
  private lines: string[] = [];
  /** Sourced files generated so far. */
  readonly files: Record<string, string> = {};
  private fileCounter = 0;
  /** Whether the file being generated lives in sub/ (relative sources differ). */
  private inSub = false;
  private counter = 0;
  private menuCounter = 0;
  private choiceCounter = 0;
  /** The choice whose symbols are being emitted; they must not reference each other. */
  private currentChoice = -1;
  private readonly allowLoops: boolean;

  constructor(private readonly r: Rng) {
    this.allowLoops = r.chance(0.03);
  }

  private refSyms(limit: number, types?: readonly GType[]): GSym[] {
    // Loops through choice symbols are found or missed by Kconfiglib depending
    // on Python set iteration order, so loop-permitting trees avoid them.
    const pool = this.allowLoops
      ? this.syms.filter((s) => !s.inChoice)
      : this.syms.filter((s) => s.idx < limit && (s.choiceId === -1 || s.choiceId !== this.currentChoice));
    return types ? pool.filter((s) => types.includes(s.type)) : pool;
  }

  private constFor(t: GType): string {
    const r = this.r;
    switch (t) {
      case 'bool':
        return r.pick(['y', 'n', 'y', 'n', 'y', 'n', 'm']);
      case 'tristate':
        return r.pick(['y', 'n', 'm']);
      case 'int':
        return String(r.int(-3, 40));
      case 'hex':
        return r.pick(['0x', '0X', '']) + r.int(0, 300).toString(16);
      case 'string':
        return `"${r.pick(['', 'a', 'b', 'abc', 'x y', 'q\\"q', '10'])}"`;
    }
  }

  /** A random expression over symbols with index < limit. */
  expr(limit: number, depth = 0): string {
    const r = this.r;
    const pool = this.refSyms(limit);
    const roll = r.next();
    if (depth > 2 || roll < 0.35) {
      if (pool.length === 0 || r.chance(0.08)) return r.pick(['y', 'n', 'm', 'UNDEF_' + r.int(0, 3)]);
      const s = r.pick(pool);
      return s.type === 'bool' || s.type === 'tristate' || r.chance(0.2) ? s.name : this.relation(s, pool);
    }
    if (roll < 0.5) return '!' + this.factor(limit, depth + 1);
    if (roll < 0.7) return `${this.factor(limit, depth + 1)} && ${this.factor(limit, depth + 1)}`;
    if (roll < 0.85) return `${this.factor(limit, depth + 1)} || ${this.factor(limit, depth + 1)}`;
    if (pool.length === 0) return 'y';
    return this.relation(r.pick(pool), pool);
  }

  private factor(limit: number, depth: number): string {
    const e = this.expr(limit, depth);
    return /[&|]/.test(e) || this.r.chance(0.1) ? `(${e})` : e;
  }

  private relation(s: GSym, pool: GSym[]): string {
    const r = this.r;
    const op = r.pick(['=', '!=', '<', '<=', '>', '>=']);
    const same = pool.filter((p) => p.type === s.type && p !== s);
    const rhs = same.length > 0 && r.chance(0.3) ? r.pick(same).name : this.constFor(s.type);
    return `${s.name} ${op} ${rhs}`;
  }

  private cond(limit: number, p: number): string {
    return this.r.chance(p) ? ' if ' + this.expr(limit) : '';
  }

  private defaultValue(s: GSym): string {
    const r = this.r;
    const same = this.refSyms(s.idx, [s.type]);
    if (s.type === 'bool' || s.type === 'tristate') return r.chance(0.5) ? this.constFor(s.type) : this.expr(s.idx);
    if (same.length > 0 && r.chance(0.25)) return r.pick(same).name;
    return this.constFor(s.type);
  }

  private newSym(inChoice: boolean, types?: GType[]): GSym {
    const r = this.r;
    const type = types ? r.pick(types) : r.pick<GType>(['bool', 'bool', 'bool', 'bool', 'tristate', 'int', 'int', 'hex', 'string']);
    const choiceId = inChoice ? this.currentChoice : -1;
    const s: GSym = { name: `S${this.counter}`, type, idx: this.counter++, inChoice, choiceId };
    this.syms.push(s);
    return s;
  }

  private symbolBody(s: GSym, hasPrompt: boolean): string[] {
    const r = this.r;
    const out: string[] = [];
    if (!s.inChoice && !hasPrompt && r.chance(0.3)) {
      out.push(`\tdef_${s.type} ${this.defaultValue(s)}${this.cond(s.idx, 0.3)}`);
    } else if (hasPrompt && r.chance(0.15)) {
      out.push(`\t${s.type}`, `\tprompt "${s.name} via prompt$(SUFFIX)"${this.cond(s.idx, 0.3)}`);
    } else if (hasPrompt) {
      out.push(`\t${s.type} "${s.name} prompt"${this.cond(s.idx, 0.15)}`);
    } else {
      out.push(`\t${s.type}`);
    }
    if (!s.inChoice) {
      for (let i = r.int(0, 2); i > 0; i--) out.push(`\tdefault ${this.defaultValue(s)}${this.cond(s.idx, 0.5)}`);
    }
    if (r.chance(0.3)) out.push(`\tdepends on ${this.expr(s.idx)}`);
    if ((s.type === 'int' || s.type === 'hex') && r.chance(0.4)) {
      const ints = this.refSyms(s.idx, [s.type]);
      const bound = (): string => (ints.length > 0 && r.chance(0.2) ? r.pick(ints).name : this.constFor(s.type));
      let lo = bound();
      let hi = bound();
      if (r.chance(0.7) && !/^S/.test(lo) && !/^S/.test(hi)) {
        const base = s.type === 'hex' ? 16 : 10;
        const a = parseInt(lo, base);
        const b = parseInt(hi, base);
        if (a > b) [lo, hi] = [hi, lo];
      }
      out.push(`\trange ${lo} ${hi}${this.cond(s.idx, 0.2)}`);
    }
    if (r.chance(0.15)) out.push('\thelp', `\t  Help for ${s.name}.`, '', '\t    More.');
    return out;
  }

  /** Adds `select`/`imply` lines after every symbol exists (targets must come later than selectors). */
  private pendingSelects: Array<{ arr: string[]; at: number; from: GSym }> = [];

  private emitSymbol(inChoice = false): void {
    const r = this.r;
    const s = this.newSym(inChoice, inChoice ? ['bool', 'bool', 'tristate'] : undefined);
    const kw = !inChoice && r.chance(0.08) ? 'menuconfig' : 'config';
    this.lines.push(`${kw} ${s.name}`);
    this.lines.push(...this.symbolBody(s, inChoice || r.chance(0.8)));
    if (!inChoice && (s.type === 'bool' || s.type === 'tristate') && r.chance(0.3)) {
      this.pendingSelects.push({ arr: this.lines, at: this.lines.length, from: s });
      this.lines.push(`#SELECTS ${s.name}`);
    }
    this.lines.push('');
  }

  private emitChoice(): void {
    const r = this.r;
    const name = r.chance(0.3) ? ` CH${this.menuCounter++}` : '';
    const limit = this.counter;
    this.lines.push(`choice${name}`, `\tprompt "choice${name}"${this.cond(limit, 0.1)}`);
    if (r.chance(0.3)) this.lines.push('\toptional');
    if (r.chance(0.25)) this.lines.push(`\tdepends on ${this.expr(limit)}`);
    const n = r.int(1, 4);
    const first = this.counter;
    const defaults: string[] = [];
    if (r.chance(0.5)) defaults.push(`S${first + r.int(0, n - 1)}`);
    for (const d of defaults) this.lines.push(`\tdefault ${d}${this.cond(limit, 0.4)}`);
    this.lines.push('');
    this.currentChoice = this.choiceCounter++;
    for (let i = 0; i < n; i++) this.emitSymbol(true);
    this.currentChoice = -1;
    this.lines.push('endchoice', '');
  }

  private emitBlock(depth: number, count: number): void {
    const r = this.r;
    for (let i = 0; i < count; i++) {
      const roll = r.next();
      if (depth < 3 && roll < 0.08) {
        const title = `Menu ${this.menuCounter++}`;
        this.lines.push(`menu "${title}"`);
        if (r.chance(0.3)) this.lines.push(`\tdepends on ${this.expr(this.counter)}`);
        if (r.chance(0.2)) this.lines.push(`\tvisible if ${this.expr(this.counter)}`);
        if (r.chance(0.4)) this.emitSourced(depth + 1, r.int(0, 4));
        else this.emitBlock(depth + 1, r.int(0, 4));
        this.lines.push('endmenu', '');
      } else if (depth < 3 && roll < 0.14) {
        this.lines.push(`if ${this.expr(this.counter)}`);
        this.emitBlock(depth + 1, r.int(0, 3));
        this.lines.push('endif', '');
      } else if (roll < 0.22) {
        this.emitChoice();
      } else if (roll < 0.25) {
        this.lines.push(`comment "Comment ${this.menuCounter++}"`);
        if (r.chance(0.4)) this.lines.push(`\tdepends on ${this.expr(this.counter)}`);
        this.lines.push('');
      } else if (roll < 0.28 && depth === 0 && this.syms.length > 0) {
        // Second definition of an earlier symbol, adding properties. Only at
        // top level: an enclosing if/menu could make it depend on later symbols.
        const s = r.pick(this.syms.filter((x) => !x.inChoice).length ? this.syms.filter((x) => !x.inChoice) : this.syms);
        if (s.inChoice) continue;
        this.lines.push(`config ${s.name}`);
        if (r.chance(0.5)) this.lines.push(`\tprompt "${s.name} again"${this.cond(s.idx, 0.3)}`);
        if (r.chance(0.6)) this.lines.push(`\tdefault ${this.defaultValue(s)}${this.cond(s.idx, 0.5)}`);
        if (r.chance(0.4)) this.lines.push(`\tdepends on ${this.expr(s.idx)}`);
        this.lines.push('');
      } else {
        this.emitSymbol();
      }
    }
  }

  /** Emits a block into a new file under sub/ and sources it (source, rsource, a macro path or a glob). */
  private emitSourced(depth: number, count: number): void {
    const r = this.r;
    const num = this.fileCounter++;
    const name = `Kconfig.part${num}`;
    const saved = this.lines;
    const savedInSub = this.inSub;
    this.lines = [];
    this.inSub = true;
    this.emitBlock(depth, count);
    this.files[`sub/${name}`] = this.lines.join('\n') + '\n';
    this.lines = saved;
    this.inSub = savedInSub;
    const how = r.int(0, 3);
    if (how === 0) this.lines.push(`source "sub/${name}"`);
    else if (how === 1) this.lines.push(`rsource "${this.inSub ? '' : 'sub/'}${name}"`);
    else if (how === 2) this.lines.push(`source "$(SUBDIR)/${name}"`);
    else this.lines.push(`osource "sub/Kconfig.par?${num}*"`);
  }

  generate(): string {
    const r = this.r;
    if (r.chance(0.3)) this.lines.push(`mainmenu "Random ${r.int(0, 99)}"`, '');
    this.lines.push('SUBDIR := sub', `SUFFIX = ${r.pick(['', ' (x)', '$(SUBDIR)'])}`, '');
    if (r.chance(0.1)) this.lines.push('config ENV_PATH', '\tstring', '\toption env="PATH"', '');
    this.emitBlock(0, r.int(3, 30));
    // Resolve selects now that every symbol exists: targets always come after the selector.
    for (const { arr, at, from } of this.pendingSelects) {
      const targets = this.syms.filter(
        (t) => (this.allowLoops || t.idx > from.idx) && !t.inChoice && (t.type === 'bool' || t.type === 'tristate' || r.chance(0.05)),
      );
      const sel: string[] = [];
      for (let k = r.int(1, 2); k > 0 && targets.length > 0; k--) {
        const t = r.pick(targets);
        sel.push(`\t${r.chance(0.7) ? 'select' : 'imply'} ${t.name}${this.cond(from.idx + 1, 0.3)}`);
      }
      arr[at] = sel.join('\n');
    }
    return this.lines.join('\n') + '\n';
  }

  /** Random interactive steps: set/unset user values with .config snapshots in between. */
  ops(): Array<['set', string, string] | ['unset', string] | ['snapshot']> {
    const r = this.r;
    const out: Array<['set', string, string] | ['unset', string] | ['snapshot']> = [['snapshot']];
    if (this.syms.length === 0) return out;
    for (let i = r.int(1, 12); i > 0; i--) {
      const s = r.pick(this.syms);
      if (r.chance(0.15)) out.push(['unset', s.name]);
      else out.push(['set', s.name, r.chance(0.05) ? 'bogus' : this.constFor(s.type).replace(/^"(.*)"$/, '$1')]);
      if (r.chance(0.4)) out.push(['snapshot']);
    }
    return out;
  }

  fragment(): string {
    const r = this.r;
    const out: string[] = [];
    for (let i = r.int(0, Math.min(12, this.syms.length + 2)); i > 0; i--) {
      if (this.syms.length === 0 || r.chance(0.05)) {
        out.push(`CONFIG_UNDEF_${r.int(0, 3)}=y`);
        continue;
      }
      const s = r.pick(this.syms);
      const v = r.chance(0.06)
        ? r.pick(['bogus', '', '0x', '"unterminated', 'm', '"a\\\\b\\"c"', ' 12', '1_0', '+3'])
        : this.constFor(s.type);
      if ((s.type === 'bool' || s.type === 'tristate') && v === 'n' && r.chance(0.5)) out.push(`# CONFIG_${s.name} is not set`);
      else out.push(`CONFIG_${s.name}=${v}`);
    }
    return out.join('\n') + (r.chance(0.9) ? '\n' : '');
  }
}

/** Generates the tree and fragments for `seed`. */
export function generateTree(seed: number): GeneratedTree {
  const r = new Rng(seed);
  const g = new Gen(r);
  const files: Record<string, string> = { Kconfig: g.generate(), ...g.files };
  const fragments: string[] = [];
  for (let i = r.int(0, 3); i > 0; i--) {
    const name = `frag${i}.conf`;
    files[name] = g.fragment();
    fragments.push(name);
  }
  return { files, fragments, ops: r.chance(0.5) ? g.ops() : [] };
}
