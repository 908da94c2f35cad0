// What the main thread records of a study file's load for worker threads to replay (module-hooks.ts):
// a type of its own, without Node's types, since the public declarations reach it (loadStudyFile).

/** One resolution or one loaded module, as the record sends it. */
export type ModuleRecord =
  | { readonly type: 'resolve'; readonly key: string; readonly url: string; readonly format: string | null | undefined }
  | { readonly type: 'load'; readonly url: string; readonly format: string; readonly source: string | ArrayBuffer | ArrayBufferView }
  | { readonly type: 'unsupported'; readonly url: string; readonly format: string };
