// The web UI's data layer: pure functions over a TrackingStore producing the JSON each page needs,
// and the route table the server mounts (GET /api/ui/...). Re-exports only.
export { studiesList } from './studies-list.js';
export { studyPage, type StudyPageOptions } from './study-page.js';
export { studyTrials, type StudyTrialsOptions } from './study-trials.js';
export { runsTable, runChildren, type RunsTableOptions } from './runs-table.js';
export { runPage, metricHistory, type RunPageOptions } from './run-page.js';
export { compareRuns, MAX_COMPARE } from './compare.js';
export { resolveArtifact, artifactPreview, isInertImage, listArtifacts, localArtifacts, type LocateArtifacts, type ResolvedArtifact } from './artifacts.js';
export { pedAnovaImportance, type Importance } from './importance.js';
export { lttbIndices, downsampleMetric } from './downsample.js';
export { UI_ROUTES, type UiRoute, type UiQuery, type UiContext } from './routes.js';
export { uiAssetsDir } from './assets.js';
export type { Json, JsonObject } from './json.js';
