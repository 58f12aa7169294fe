/**
 * A small, strict XML reader for the JUnit reports (no XML parser is among the dependencies):
 * elements, attributes, text and the five predefined entities; it throws on anything malformed
 * (unbalanced tags, bad attributes, stray '<' or '&'), which is what the tests want to catch.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&([^;]*);|&/g, (m, name: string | undefined) => {
    if (name === undefined || !(name in ENT)) throw new Error(`bad entity ${m}`);
    return ENT[name]!;
  });
}

/** Parses a document; returns its root element. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const s = src.replace(/^\uFEFF/, '');
  const skipWs = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  if (s.startsWith('<?xml', i)) {
    const end = s.indexOf('?>', i);
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  skipWs();
  const parseElement = (): XmlElement => {
    if (s[i] !== '<') throw new Error(`expected '<' at ${i}`);
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(i));
    if (!m) throw new Error(`bad tag at ${i}`);
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' };
    i += m[0].length;
    for (;;) {
      skipWs();
      if (s.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (s[i] === '>') {
        i++;
        break;
      }
      const a = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(s.slice(i));
      if (!a) throw new Error(`bad attribute at ${i} in <${el.name}>`);
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]}`);
      el.attrs[a[1]!] = decode(a[2]!);
      i += a[0].length;
    }
    for (;;) {
      if (i >= s.length) throw new Error(`unclosed <${el.name}>`);
      if (s.startsWith('</', i)) {
        const c = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(s.slice(i));
        if (!c || c[1] !== el.name) throw new Error(`mismatched closing tag at ${i} for <${el.name}>`);
        i += c[0].length;
        return el;
      }
      if (s[i] === '<') el.children.push(parseElement());
      else {
        const next = s.indexOf('<', i);
        const end = next < 0 ? s.length : next;
        el.text += decode(s.slice(i, end));
        i = end;
      }
    }
  };
  const root = parseElement();
  skipWs();
  if (i !== s.length) throw new Error('content after the root element');
  return root;
}

/** Every descendant element called `name`. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
