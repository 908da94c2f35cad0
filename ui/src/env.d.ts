// Stylesheets imported for esbuild to bundle into app.css.
declare module '*.css';

// Requests index.html starts before the bundle runs, by URL (see takePrefetched in api.ts).
interface Window {
  sweepPrefetch?: Record<string, Promise<Response>>;
}
