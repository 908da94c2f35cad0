// Which of a study's modules may take sweep's light API (light-api.ts) in place of the whole of it, in
// a worker thread replaying the main thread's record of the modules (compiled-modules.ts). A module
// qualifies when the record holds its source and every mention of the specifier that resolved to
// sweep's entry is a named import (`import { defineStudy, hp } from 'sweep'`) of names the light API
// exports, and it has no dynamic import() (whose specifier could be computed). Anything else (a
// namespace or default import, a re-export, a heavy name such as SqliteStore, the specifier in a
// string or a comment) keeps sweep's entry for that module. Both share every module below the entry,
// so a study whose modules take different ones still has one of each class and registry.
import type { ModuleRecord } from './module-record.js';

/** The light API's URL, next to this module. */
export const LIGHT_API = new URL('./light-api.js', import.meta.url).href;

/**
 * `records` with the resolutions of `entry` (sweep's own src/index.js URL) from qualifying modules
 * turned to `light` (the light API's URL), and whether any module still resolves `entry`.
 */
export function lightenSweep(
  records: readonly ModuleRecord[],
  entry: string,
  light: string,
  lightNames: ReadonlySet<string>,
): { readonly records: ModuleRecord[]; readonly needsEntry: boolean } {
  const sources = new Map<string, string>();
  for (const r of records) if (r.type === 'load') sources.set(r.url, sourceText(r.source));
  let needsEntry = false;
  const out = records.map((r): ModuleRecord => {
    if (r.type !== 'resolve' || r.url !== entry) return r;
    const [specifier = '', parent = ''] = r.key.split('\u0000');
    const source = sources.get(parent);
    if (source !== undefined && importsOnly(source, specifier, lightNames)) return { ...r, url: light };
    needsEntry = true;
    return r;
  });
  return { records: out, needsEntry };
}

/** Whether every mention of `specifier` in `source` is `import { names } from 'specifier'` with `names` in `allowed`. */
export function importsOnly(source: string, specifier: string, allowed: ReadonlySet<string>): boolean {
  if (/\bimport\s*\(/.test(source)) return false;
  const spec = specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mentions = source.match(new RegExp(`(["'\`])${spec}\\1`, 'g'))?.length ?? 0;
  let named = 0;
  for (const match of source.matchAll(new RegExp(`\\bimport\\s*\\{([^}]*)\\}\\s*from\\s*(["'])${spec}\\2`, 'g'))) {
    for (const item of (match[1] as string).split(',')) {
      const trimmed = item.trim();
      if (trimmed === '') continue;
      const name = /^(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+[A-Za-z_$][\w$]*)?$/.exec(trimmed);
      if (!name || !allowed.has(name[1] as string)) return false;
    }
    named++;
  }
  return mentions > 0 && named === mentions;
}

/**
 * A guess, from a study file's own source (TypeScript, before compiling), that importsOnly will pass
 * once it is compiled: type-only imports from 'sweep' are left out (compiling drops them). It decides
 * only when a worker starts its hooks, never which module a study gets.
 */
export function looksLight(source: string, allowed: ReadonlySet<string>): boolean {
  const values = source
    .replace(/\bimport\s+type\s*\{[^}]*\}\s*from\s*(["'])sweep\1\s*;?/g, '')
    .replace(/\{([^}]*)\}(\s*from\s*(["'])sweep\3)/g, (_, items: string, tail: string) => {
      return `{${items.split(',').filter((item) => !/^\s*type\s/.test(item)).join(',')}}${tail}`;
    });
  return importsOnly(values, 'sweep', allowed);
}

// --- internal ---

function sourceText(source: string | ArrayBuffer | ArrayBufferView): string {
  if (typeof source === 'string') return source;
  return new TextDecoder().decode(source as Uint8Array);
}
