// A Node resolve hook (run on Node's hooks thread, registered by ts-loader.ts before tsx) that lets a
// study file import the sweep that runs it when its own project has none: `import 'sweep'` (or
// `sweep/samplers`) that Node cannot resolve from the file is resolved from inside this package, a
// self-reference, so a sweep installed globally or elsewhere runs study files in any directory. A
// project's own sweep still wins. No imports: this module is loaded on its own thread.

interface ResolveContext { readonly parentURL?: string | undefined; readonly conditions?: readonly string[] }
interface ResolveResult { readonly url: string; readonly format?: string | null | undefined; readonly shortCircuit?: boolean }
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;

/** A module of this package, from which `sweep` resolves to the package itself. */
let selfParent: string | undefined;

export function initialize(data: { readonly selfParent: string }): void {
  selfParent = data.selfParent;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (selfParent === undefined || !isSweepSpecifier(specifier) || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return next(specifier, { ...context, parentURL: selfParent });
  }
}

export function isSweepSpecifier(specifier: string): boolean {
  return specifier === 'sweep' || specifier.startsWith('sweep/');
}
