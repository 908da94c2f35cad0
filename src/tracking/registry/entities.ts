// The model registry's entities (MLflow's model_registry.proto) and dataset inputs of runs
// (MLflow's RunInputs): readonly plain data, safe to clone and to serialize as JSON.

/** MLflow's deprecated stages; aliases replace them, both are kept. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelVersion {
  readonly name: string;
  /** 1, 2, 3 ... per registered model; never reused after a delete. */
  readonly version: number;
  readonly creationTime: number;
  readonly lastUpdatedTime: number;
  readonly userId: string;
  readonly stage: ModelStage;
  readonly description: string;
  /** Where the files are: `runs:/<run_id>/<path>`, `models:/...` or an artifact URI. */
  readonly source: string;
  readonly runId: string;
  readonly runLink: string;
  readonly status: ModelVersionStatus;
  readonly statusMessage: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The aliases that point at this version. */
  readonly aliases: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  readonly creationTime: number;
  readonly lastUpdatedTime: number;
  readonly userId: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Alias -> version number; one version per alias. */
  readonly aliases: Readonly<Record<string, number>>;
  /** The newest version of each stage that has one (MLflow's latest_versions). */
  readonly latestVersions: readonly ModelVersion[];
}

export interface NewRegisteredModel {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly userId?: string;
}

export interface NewModelVersion {
  readonly name: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly userId?: string;
}

export interface RegistrySearchQuery {
  /** MLflow's registry filter grammar (`name LIKE '%gbm%'`, `tags.k = 'v'`, `run_id = '...'`). */
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface RegistryPage<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
}

/** A dataset as MLflow logs it: every field a string (schema and profile are JSON text). */
export interface Dataset {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
}

/** A dataset a run used, with input tags such as `mlflow.data.context` = `training`. */
export interface DatasetInput {
  readonly dataset: Dataset;
  readonly tags: Readonly<Record<string, string>>;
}

/** The input tag MLflow's `datasets.context` filter reads. */
export const TAG_DATA_CONTEXT = 'mlflow.data.context';
/** Run tag holding the JSON list of models logged to the run. */
export const TAG_LOG_MODEL_HISTORY = 'mlflow.log-model.history';
